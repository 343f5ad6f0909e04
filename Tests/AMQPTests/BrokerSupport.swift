import AMQP
import Foundation
import Logging
import Testing

/// The broker the integration tests run against, from `FEEDLOOP_TEST_AMQP_URL`.
///
/// Without it the suite is skipped locally, but on CI (`CI=true`) it runs and every test fails
/// with a message saying what is missing, so a misconfigured pipeline cannot pass silently.
enum TestBroker {
    static let environment = ProcessInfo.processInfo.environment
    static let urlString = environment["FEEDLOOP_TEST_AMQP_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = environment["CI"] == "true"
    static let shouldRun = urlString != nil || isCI

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "FEEDLOOP_TEST_AMQP_URL is not set: start a broker with `eval \"$(ops/servers start)\"` (required when CI=true)"
        }
    }

    static func url() throws -> AMQPURL {
        guard let urlString else {
            Issue.record("\(Missing())")
            throw Missing()
        }
        return try AMQPURL(parsing: urlString)
    }

    static let logger: Logger = {
        var logger = Logger(label: "feedloop.amqp.tests")
        logger.logLevel = .warning
        return logger
    }()

    static func connect(heartbeat: Int = 30, name: String = "amqp-tests") throws -> AMQPConnection {
        try AMQPConnection(url: url(), heartbeat: heartbeat, connectionName: name, logger: logger)
    }

    /// A name no other test run uses, so runs never see each other's messages.
    static func uniqueName(_ purpose: String) -> String {
        "amqp-test.\(purpose).\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Polls `condition` until it holds or `timeout` passes (for broker state that settles asynchronously).
func eventually(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}

extension AMQPConnection {
    /// Consumes until `count` deliveries arrived or nothing came for `idle`.
    func collect(_ count: Int, idle: Duration = .seconds(10)) throws -> [AMQPDelivery] {
        var deliveries: [AMQPDelivery] = []
        while deliveries.count < count, let delivery = try nextDelivery(timeout: idle) {
            deliveries.append(delivery)
        }
        return deliveries
    }
}
