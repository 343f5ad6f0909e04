import AMQP
import ArgumentParser
import FeedloopRuntime
import Foundation
import Logging

/// What the broker alone does on this machine: persistent messages into one quorum queue with
/// confirms awaited per batch, consumed at the same time with prefetch and multiple-acks — the
/// same shape as the pipeline's hot path, without any database or handler work.
struct BrokerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Raw broker rate: publish with batched confirms and consume on one quorum queue.",
        discussion: "Uses FEEDLOOP_AMQP_URL. Example: feedloop-bench broker --messages 50000"
    )

    @Option(help: "Messages to send.") var messages = 50_000
    @Option(help: "Messages per confirmed publish batch.") var batch = 500
    @Option(help: "Message body size in bytes (a feedback.received event is about 400).") var size = 400
    @Option(help: "Consumer prefetch.") var prefetch = 300
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let configuration = try FeedloopConfiguration()
        let logger = {
            var logger = Logger(label: "feedloop.bench")
            logger.logLevel = .warning
            return logger
        }()
        let url = configuration.amqpURL
        let queue = "feedloop.bench.\(UUID().uuidString.prefix(8).lowercased())"
        let setup = try AMQPConnection(url: url, logger: logger)
        try setup.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        defer {
            try? setup.deleteQueue(queue)
            setup.close()
        }

        let body = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let total = messages
        let batchSize = batch
        let prefetchCount = prefetch
        let start = ContinuousClock.now
        let published = Thread.spawn {
            let c = try AMQPConnection(url: url, logger: logger)
            defer { c.close() }
            try c.enableConfirms()
            var sent = 0
            while sent < total {
                let n = min(batchSize, total - sent)
                for i in 0..<n {
                    try c.publish(exchange: "", routingKey: queue, body: body, properties: AMQPMessageProperties(messageId: "bench-\(sent + i)"))
                }
                try c.waitForConfirms()
                sent += n
            }
            return ContinuousClock.now - start
        }
        let consumed = Thread.spawn {
            let c = try AMQPConnection(url: url, logger: logger)
            defer { c.close() }
            try c.setPrefetch(UInt16(prefetchCount))
            try c.consume(queue: queue)
            var received = 0
            while received < total {
                guard let d = try c.nextDelivery(timeout: .seconds(30)) else { throw ValidationError("no delivery for 30 s after \(received)") }
                received += 1
                if received % 100 == 0 || received == total { try c.ack(d.deliveryTag, multiple: true) }
            }
            return ContinuousClock.now - start
        }
        let publishTime = try published.value()
        let consumeTime = try consumed.value()
        let publishRate = Double(total) / publishTime.seconds
        let throughput = Double(total) / consumeTime.seconds
        if json {
            print(#"{"messages":\#(total),"publish_per_s":\#(Int(publishRate)),"through_per_s":\#(Int(throughput))}"#)
        } else {
            print("broker: \(total) persistent messages of \(size) B, confirms per \(batchSize), prefetch \(prefetchCount)")
            print("  published  \(Int(publishRate)) msg/s")
            print("  through    \(Int(throughput)) msg/s (publish and consume at once, \(String(format: "%.2f", consumeTime.seconds)) s)")
        }
    }
}

extension Thread {
    /// Runs `body` on a new thread (librabbitmq connections stay on the thread that made them).
    static func spawn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> ThreadResult<T> {
        let result = ThreadResult<T>()
        let thread = Thread {
            result.set(Result { try body() })
        }
        thread.stackSize = 4 << 20
        thread.start()
        return result
    }
}

/// The outcome of a ``Thread/spawn(_:)`` body, waited for with ``value()``.
final class ThreadResult<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?

    func set(_ result: Result<T, Error>) {
        self.result = result
        done.signal()
    }

    func value() throws -> T {
        done.wait()
        return try result!.get()
    }
}
