import AMQP
import Foundation
import Logging
import Testing

/// The real servers integration tests run against, from `FEEDLOOP_TEST_AMQP_URL` and
/// `FEEDLOOP_TEST_DATABASE_URL` (exported by `ops/servers start`, which `ops/test` runs).
///
/// Locally, suites are skipped without them; with `CI=true` they run and fail with a message
/// naming what is missing, so a CI run without servers can never pass by skipping.
public enum TestServers {
    static let environment = ProcessInfo.processInfo.environment
    public static let amqpURL = environment["FEEDLOOP_TEST_AMQP_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static let databaseURL = environment["FEEDLOOP_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static let isCI = environment["CI"] == "true"
    /// For `.enabled(if:)`.
    public static let shouldRun = (amqpURL != nil && databaseURL != nil) || isCI

    public struct Missing: Error, CustomStringConvertible {
        public var variable: String
        public var description: String {
            "\(variable) is not set: start the servers with `eval \"$(./ops/servers start)\"` or run ./ops/test"
        }
    }

    public static func requireAMQP() throws -> String {
        guard let amqpURL else { throw Missing(variable: "FEEDLOOP_TEST_AMQP_URL") }
        return amqpURL
    }

    public static func requireDatabase() throws -> String {
        guard let databaseURL else { throw Missing(variable: "FEEDLOOP_TEST_DATABASE_URL") }
        return databaseURL
    }

    /// A quiet logger for the code under test.
    public static let logger: Logger = {
        var logger = Logger(label: "feedloop.tests")
        logger.logLevel = environment["FEEDLOOP_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    /// The repository root (for ops/ scripts and built executables).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// A short name no other run uses.
    public static func uniqueName(_ purpose: String) -> String {
        "\(purpose)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async rethrows
    -> Bool
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
