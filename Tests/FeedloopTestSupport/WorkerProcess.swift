import Foundation

/// One Feedloop executable running as a separate process, its output in a log file.
public final class WorkerProcess: @unchecked Sendable {
    public let name: String
    public let logFile: URL
    let process = Process()

    /// Directory of the built executables: `FEEDLOOP_BIN_DIR` (set by ops/test) or `.build/debug`.
    public static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["FEEDLOOP_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return TestServers.repositoryRoot.appendingPathComponent(".build/debug")
    }()

    public init(_ executable: String, arguments: [String] = [], environment: [String: String], name: String? = nil, logDirectory: URL) throws {
        self.name = name ?? executable
        let path = Self.binDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw MissingExecutable(path: path.path)
        }
        logFile = logDirectory.appendingPathComponent("\(self.name).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = path
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// SIGKILL: no chance to finish or acknowledge anything.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits up to `timeout` for a clean exit; returns the exit status (nil if it hung and was killed).
    @discardableResult
    public func terminate(timeout: Duration = .seconds(20)) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        return awaitExit(timeout: timeout)
    }

    /// SIGTERM without waiting (see ``awaitExit(timeout:)``).
    public func signalTerminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits up to `timeout` for the process to exit after a SIGTERM; kills it if it hung.
    @discardableResult
    public func awaitExit(timeout: Duration = .seconds(20)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill()
            return nil
        }
        return process.terminationStatus
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public struct MissingExecutable: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path) is not built: run `swift build` first (ops/test does)" }
    }
}
