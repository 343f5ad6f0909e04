import AMQP
import FeedloopRuntime
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole cluster for one test: every worker as a separate process on a scratch database
/// and a scratch vhost, with the producer's and analytics' HTTP ports.
public final class Pipeline: @unchecked Sendable {
    public let database: ScratchDatabase
    public let vhost: ScratchVirtualHost
    public let logDirectory: URL
    public let producerPort: Int
    public let analyticsPort: Int
    public private(set) var workers: [WorkerProcess] = []
    /// An `admin` API key in the scratch database, sent by ``get(port:path:)`` and
    /// ``post(port:path:json:)``.
    public let apiKey: String
    let environment: [String: String]

    public init(extraEnvironment: [String: String] = [:]) throws {
        database = try ScratchDatabase.create()
        vhost = try ScratchVirtualHost.create()
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("feedloop-e2e"))
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        apiKey = try Self.createKey(in: database, name: "end-to-end tests", role: .admin)
        producerPort = try Self.freePort()
        analyticsPort = try Self.freePort()
        environment = [
            "FEEDLOOP_AMQP_URL": vhost.url,
            "FEEDLOOP_DATABASE_URL": database.url,
            "FEEDLOOP_LOG_LEVEL": "notice",
            "FEEDLOOP_RETRY_DELAY_MS": "500",
        ].merging(extraEnvironment) { _, new in new }
    }

    /// Starts an executable; `name` tells replicas apart in logs.
    @discardableResult
    public func start(_ executable: String, name: String? = nil, arguments: [String] = [], environment extra: [String: String] = [:]) throws -> WorkerProcess {
        var env = environment.merging(extra) { _, new in new }
        if executable == "feedloop-producer" { env["FEEDLOOP_HTTP_PORT"] = String(producerPort) }
        if executable == "feedloop-analytics" { env["FEEDLOOP_HTTP_PORT"] = String(analyticsPort) }
        // Every worker serves health and metrics; replicas must not compete for the default port.
        if env["FEEDLOOP_HTTP_PORT"] == nil { env["FEEDLOOP_HTTP_PORT"] = "0" }
        let worker = try WorkerProcess(executable, arguments: arguments, environment: env, name: name, logDirectory: logDirectory)
        workers.append(worker)
        return worker
    }

    /// Waits for `GET /health` to answer 200.
    public func waitUntilHealthy(port: Int, timeout: Duration = .seconds(60)) async throws {
        let healthy = await eventually(timeout: timeout, every: .milliseconds(200)) {
            (try? await self.get(port: port, path: "/health").status) == 200
        }
        if !healthy { throw Unhealthy(port: port, logs: logsSummary()) }
    }

    /// A GET with ``apiKey``.
    public func get(port: Int, path: String) async throws -> (status: Int, body: Data) {
        let answer = try await send("GET", port: port, path: path, headers: ["Authorization": "Bearer \(apiKey)"])
        return (answer.status, answer.body)
    }

    /// A JSON POST with ``apiKey``.
    public func post(port: Int, path: String, json: Data) async throws -> (status: Int, body: Data) {
        let headers = ["Authorization": "Bearer \(apiKey)", "Content-Type": "application/json"]
        let answer = try await send("POST", port: port, path: path, body: json, headers: headers)
        return (answer.status, answer.body)
    }

    /// Any request with exactly the given headers (no key unless given), for tests of
    /// authentication and content types.
    public func send(
        _ method: String, port: Int, path: String, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, body: Data, headers: [String: String]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return (http.statusCode, data, fields)
    }

    /// Messages ready in a queue of the scratch vhost (e.g. `feedloop.classifier` while no
    /// classifier runs).
    public func readyMessages(in queue: String) throws -> Int {
        let connection = try AMQPConnection(url: vhost.amqpURL(), heartbeat: 0, connectionName: "feedloop-tests", logger: TestServers.logger)
        defer { connection.close() }
        return Int(try connection.inspectQueue(queue).messageCount)
    }

    /// Creates an API key in the scratch database, as `feedloopctl keys create` would; returns the key.
    public static func createKey(in database: ScratchDatabase, name: String, role: APIRole) throws -> String {
        let db = try database.connect()
        defer { db.close() }
        return try APIKeyStore.create(name: name, role: role, in: db).key.text
    }

    /// SIGTERM to every worker still running; returns those that did not exit 0 (a worker the
    /// test killed on purpose is not asked again).
    @discardableResult
    public func stopAll() -> [String] {
        // All at once, then wait: the test's thread is blocked for the slowest shutdown, not
        // the sum of them (it is one of the few threads every suite running in parallel needs).
        let running = workers.reversed().filter(\.isRunning)
        for w in running { w.signalTerminate() }
        return running.compactMap { w in w.awaitExit() == 0 ? nil : w.name }
    }

    public func tearDown() {
        for w in workers { w.kill() }
        vhost.delete()
        database.drop()
    }

    /// The tail of every worker's log, for failure messages.
    public func logsSummary(lines: Int = 15) -> String {
        workers.map { w in
            "--- \(w.name) (\(w.logFile.path))\n" + w.log.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Unhealthy(port: 0, logs: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct Unhealthy: Error, CustomStringConvertible {
        public var port: Int
        public var logs: String
        public var description: String { "no healthy server on port \(port)\n\(logs)" }
    }
}
