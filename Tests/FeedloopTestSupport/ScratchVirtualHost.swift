import AMQP
import Foundation

/// A broker virtual host of its own, so a test's queues (which carry the fixed Feedloop names)
/// never meet another test's. Created and deleted through `ops/servers rabbitmqctl`.
public struct ScratchVirtualHost: Sendable {
    public let name: String
    /// FEEDLOOP_AMQP_URL for processes and clients of this test.
    public let url: String

    public static func create() throws -> ScratchVirtualHost {
        let base = try TestServers.requireAMQP()
        let name = TestServers.uniqueName("feedloop-test")
        try rabbitmqctl(["add_vhost", name])
        try rabbitmqctl(["set_permissions", "-p", name, "guest", ".*", ".*", ".*"])
        var components = URLComponents(string: base)!
        components.percentEncodedPath = "/" + name
        return ScratchVirtualHost(name: name, url: components.string!)
    }

    public func amqpURL() throws -> AMQPURL { try AMQPURL(parsing: url) }

    public func delete() {
        _ = try? Self.rabbitmqctl(["delete_vhost", name])
    }

    static func rabbitmqctl(_ arguments: [String]) throws {
        let script = TestServers.repositoryRoot.appendingPathComponent("ops/servers").path
        let result = try ProcessRunner.run(script, ["rabbitmqctl", "-q"] + arguments)
        guard result.status == 0 else {
            throw CommandFailed(command: "rabbitmqctl \(arguments.joined(separator: " "))", output: result.output)
        }
    }

    public struct CommandFailed: Error, CustomStringConvertible {
        public var command: String
        public var output: String
        public var description: String { "\(command) failed: \(output)" }
    }
}
