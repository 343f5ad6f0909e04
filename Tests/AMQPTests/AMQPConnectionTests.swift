import CRabbitMQ
import Foundation
import Testing

@testable import AMQP

/// Integration tests against a real RabbitMQ (see ``TestBroker``). Synchronous on purpose: a
/// librabbitmq connection must stay on the thread that created it.
@Suite(.serialized, .enabled(if: TestBroker.shouldRun, "FEEDLOOP_TEST_AMQP_URL is not set"))
struct AMQPConnectionTests {
    static let quorumArguments: AMQPTable = [
        "x-queue-type": .string("quorum"),
        "x-delivery-limit": .int(3),
        "x-dead-letter-exchange": .string("amqp-test.dlx"),
        "x-dead-letter-strategy": .string("at-least-once"),
        "x-overflow": .string("reject-publish"),
    ]

    @Test func declaresQuorumQueueWithDeadLetteringArguments() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let queue = TestBroker.uniqueName("quorum")
        defer { try? connection.deleteQueue(queue) }

        let info = try connection.declareQueue(queue, arguments: Self.quorumArguments)
        #expect(info == AMQPQueueInfo(messageCount: 0, consumerCount: 0))
        // Declarations are idempotent with identical arguments.
        try connection.declareQueue(queue, arguments: Self.quorumArguments)
        #expect(try connection.inspectQueue(queue).messageCount == 0)

        // Different arguments are refused, and the connection survives the channel error.
        var other = Self.quorumArguments
        other["x-delivery-limit"] = .int(7)
        #expect {
            try connection.declareQueue(queue, arguments: other)
        } throws: { error in
            (error as? AMQPError)?.code == .preconditionFailed
        }
        #expect(connection.isOpen)
        #expect(try connection.inspectQueue(queue).messageCount == 0)
    }

    @Test func publishesAThousandPersistentMessagesAndConsumesThemIntact() throws {
        let publisher = try TestBroker.connect(name: "amqp-tests-publisher")
        defer { publisher.close() }
        let queue = TestBroker.uniqueName("thousand")
        defer { try? publisher.deleteQueue(queue) }
        try publisher.declareQueue(queue, arguments: Self.quorumArguments)
        try publisher.enableConfirms()

        let count = 1000
        func properties(_ index: Int) -> AMQPMessageProperties {
            AMQPMessageProperties(
                contentType: "application/json",
                messageId: "msg-\(index)",
                type: "feedback.received",
                timestamp: Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(index)),
                correlationId: "ticket-\(index % 7)",
                persistent: true,
                headers: [
                    "schema_version": .int(1),
                    "index": .int(Int64(index)),
                    "source": .string("hotline"),
                    "vip": .bool(index % 2 == 0),
                    "score": .double(4.5),
                    "trace": .table(["hop": .int(2), "by": .string("producer")]),
                    "tags": .array([.string("a"), .int(-3), .bool(false)]),
                ]
            )
        }
        for index in 0..<count {
            let body = Array(#"{"n":\#(index),"text":"多谢"}"#.utf8)
            try publisher.publish(exchange: "", routingKey: queue, body: body, properties: properties(index))
        }
        try publisher.waitForConfirms(timeout: .seconds(30))
        #expect(try eventually { try publisher.inspectQueue(queue).messageCount == UInt32(count) })

        let consumer = try TestBroker.connect(name: "amqp-tests-consumer")
        defer { consumer.close() }
        try consumer.setPrefetch(200)
        try consumer.consume(queue: queue)
        var received = 0
        while received < count, let delivery = try consumer.nextDelivery(timeout: .seconds(10)) {
            let expected = properties(received)
            #expect(delivery.body == Array(#"{"n":\#(received),"text":"多谢"}"#.utf8))
            #expect(delivery.routingKey == queue)
            #expect(delivery.exchange == "")
            #expect(!delivery.redelivered)
            #expect(delivery.properties.contentType == expected.contentType)
            #expect(delivery.properties.messageId == expected.messageId)
            #expect(delivery.properties.type == expected.type)
            #expect(delivery.properties.timestamp == expected.timestamp)
            #expect(delivery.properties.correlationId == expected.correlationId)
            #expect(delivery.properties.persistent)
            #expect(delivery.properties.headers.filter { !$0.key.hasPrefix("x-") } == expected.headers)
            #expect(delivery.deliveryCount == 0)
            received += 1
            if received % 100 == 0 { try consumer.ack(delivery.deliveryTag, multiple: true) }
        }
        #expect(received == count)
        #expect(try eventually { try publisher.inspectQueue(queue).messageCount == 0 })
    }

    @Test func publishToAFullRejectPublishQueueIsNacked() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let queue = TestBroker.uniqueName("full")
        defer { try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue, arguments: ["x-max-length": .int(5), "x-overflow": .string("reject-publish")])
        try connection.enableConfirms()

        for index in 0..<12 {
            try connection.publish(exchange: "", routingKey: queue, body: Array("m\(index)".utf8))
        }
        #expect {
            try connection.waitForConfirms(timeout: .seconds(10))
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .publishNacked && error.message.contains("nacked 7 of 12")
        }
        #expect(try connection.inspectQueue(queue).messageCount == 5)

        // The next batch starts from a clean slate.
        try connection.purgeQueue(queue)
        try connection.publish(exchange: "", routingKey: queue, body: Array("again".utf8))
        try connection.waitForConfirms(timeout: .seconds(10))
    }

    @Test func unackedMessagesOfAKilledConsumerAreRedelivered() throws {
        let publisher = try TestBroker.connect()
        defer { publisher.close() }
        let queue = TestBroker.uniqueName("killed")
        defer { try? publisher.deleteQueue(queue) }
        try publisher.declareQueue(queue, arguments: Self.quorumArguments)
        try publisher.enableConfirms()
        for index in 0..<5 {
            try publisher.publish(
                exchange: "", routingKey: queue, body: Array("job \(index)".utf8),
                properties: AMQPMessageProperties(messageId: "job-\(index)")
            )
        }
        try publisher.waitForConfirms()

        let doomed = try TestBroker.connect(name: "amqp-tests-doomed")
        try doomed.setPrefetch(10)
        try doomed.consume(queue: queue)
        let first = try doomed.collect(5)
        #expect(first.count == 5)
        #expect(first.allSatisfy { !$0.redelivered })
        doomed.abortWithoutClosing()
        #expect(!doomed.isOpen)

        let survivor = try TestBroker.connect(name: "amqp-tests-survivor")
        defer { survivor.close() }
        try survivor.setPrefetch(10)
        try survivor.consume(queue: queue)
        let second = try survivor.collect(5)
        #expect(second.count == 5)
        #expect(second.allSatisfy { $0.redelivered })
        #expect(Set(second.compactMap(\.properties.messageId)) == Set((0..<5).map { "job-\($0)" }))
        try survivor.ack(second.last!.deliveryTag, multiple: true)
    }

    @Test func messageNackedPastTheDeliveryLimitIsDeadLettered() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let dlx = TestBroker.uniqueName("dlx")
        let queue = TestBroker.uniqueName("poison")
        let dead = "\(queue).dead"
        defer {
            try? connection.deleteQueue(queue)
            try? connection.deleteQueue(dead)
            try? connection.deleteExchange(dlx)
        }
        try connection.declareExchange(dlx, type: "topic")
        try connection.declareQueue(dead, arguments: ["x-queue-type": .string("quorum")])
        try connection.bindQueue(dead, exchange: dlx, routingKey: "#")
        var arguments = Self.quorumArguments
        arguments["x-dead-letter-exchange"] = .string(dlx)
        arguments["x-delivery-limit"] = .int(2)
        try connection.declareQueue(queue, arguments: arguments)

        try connection.enableConfirms()
        try connection.publish(
            exchange: "", routingKey: queue, body: Array("poison".utf8),
            properties: AMQPMessageProperties(messageId: "poison-1", headers: ["reason": .string("test")])
        )
        try connection.waitForConfirms()

        let consumer = try TestBroker.connect(name: "amqp-tests-poison")
        defer { consumer.close() }
        try consumer.setPrefetch(1)
        try consumer.consume(queue: queue)
        var attempts = 0
        while let delivery = try consumer.nextDelivery(timeout: .seconds(2)) {
            #expect(delivery.properties.messageId == "poison-1")
            #expect(delivery.deliveryCount == Int64(attempts))
            attempts += 1
            try consumer.nack(delivery.deliveryTag, requeue: true)
            if attempts > 10 { break }
        }
        #expect(attempts == 3)

        let deadConsumer = try TestBroker.connect(name: "amqp-tests-dead")
        defer { deadConsumer.close() }
        try deadConsumer.consume(queue: dead)
        let parked = try #require(try deadConsumer.nextDelivery(timeout: .seconds(15)))
        #expect(parked.properties.messageId == "poison-1")
        #expect(parked.body == Array("poison".utf8))
        #expect(parked.properties.headers["reason"] == .string("test"))
        guard case .array(let deaths)? = parked.properties.headers["x-death"], case .table(let death)? = deaths.first else {
            Issue.record("x-death header missing: \(parked.properties.headers)")
            return
        }
        #expect(death["reason"] == .string("delivery_limit"))
        #expect(death["queue"] == .string(queue))
        try deadConsumer.ack(parked.deliveryTag)
    }

    @Test func ackMultipleSettlesEverythingUpToTheTag() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let queue = TestBroker.uniqueName("ackmulti")
        defer { try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue, arguments: Self.quorumArguments)
        try connection.enableConfirms()
        for index in 0..<10 {
            try connection.publish(exchange: "", routingKey: queue, body: Array("\(index)".utf8))
        }
        try connection.waitForConfirms()

        let consumer = try TestBroker.connect(name: "amqp-tests-ackmulti")
        try consumer.setPrefetch(20)
        try consumer.consume(queue: queue)
        let deliveries = try consumer.collect(10)
        #expect(deliveries.count == 10)
        // Settle the first six with one ack, reject the seventh, leave the rest unacked.
        try consumer.ack(deliveries[5].deliveryTag, multiple: true)
        try consumer.reject(deliveries[6].deliveryTag, requeue: false)
        // A clean close returns the unacked three to the queue; the acked ones are gone for good.
        consumer.close()
        #expect(!consumer.isOpen)
        consumer.close()
        #expect(try eventually { try connection.inspectQueue(queue).messageCount == 3 })

        let second = try TestBroker.connect(name: "amqp-tests-ackmulti-2")
        defer { second.close() }
        try second.consume(queue: queue)
        let rest = try second.collect(3)
        #expect(rest.map(\.body) == [Array("7".utf8), Array("8".utf8), Array("9".utf8)])
        try second.nack(rest.last!.deliveryTag, multiple: true, requeue: false)
        #expect(try second.nextDelivery(timeout: .milliseconds(500)) == nil)
        #expect(try eventually { try connection.inspectQueue(queue).messageCount == 0 })
    }

    @Test func inspectingAMissingQueueThrowsNotFoundAndKeepsTheConnection() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        try connection.enableConfirms()
        try connection.setPrefetch(5)
        let missing = TestBroker.uniqueName("missing")
        #expect {
            try connection.inspectQueue(missing)
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .notFound && error.message.contains(missing)
        }
        #expect(connection.isOpen)

        // The reopened channel works and is still in confirm mode.
        let queue = TestBroker.uniqueName("after-missing")
        defer { try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue)
        try connection.publish(exchange: "", routingKey: queue, body: [1, 2, 3])
        try connection.waitForConfirms()
        #expect(try connection.inspectQueue(queue).messageCount == 1)
        try connection.deleteQueue(TestBroker.uniqueName("never-existed"))
    }

    @Test func publishingToAMissingExchangeFailsTheBatchButNotTheConnection() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        try connection.enableConfirms()
        try connection.publish(exchange: TestBroker.uniqueName("no-such-exchange"), routingKey: "k", body: [0])
        #expect {
            try connection.waitForConfirms(timeout: .seconds(10))
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .channelClosed && error.message.contains("404")
        }
        #expect(connection.isOpen)
        let queue = TestBroker.uniqueName("after-404")
        defer { try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue)
        try connection.publish(exchange: "", routingKey: queue, body: [1])
        try connection.waitForConfirms()
    }

    @Test func unroutableMandatoryPublishIsReported() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        try connection.enableConfirms()
        try connection.publish(exchange: "", routingKey: TestBroker.uniqueName("nobody"), body: [0], mandatory: true)
        #expect {
            try connection.waitForConfirms(timeout: .seconds(10))
        } throws: { error in
            (error as? AMQPError)?.code == .unroutable
        }
        // Without mandatory an unroutable message is silently dropped and still confirmed.
        try connection.publish(exchange: "", routingKey: TestBroker.uniqueName("nobody"), body: [0])
        try connection.waitForConfirms(timeout: .seconds(10))
        try connection.serviceHeartbeats()
        #expect(connection.isOpen)
    }

    @Test func wrongPasswordIsAnAuthenticationFailure() throws {
        var url = try TestBroker.url()
        url.password = "definitely-wrong-\(UUID().uuidString)"
        let password = url.password
        #expect {
            _ = try AMQPConnection(url: url, logger: TestBroker.logger)
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .authenticationFailed && !"\(error)".contains(password)
        }
    }

    @Test func connectRetriesUntilToldToStop() throws {
        var url = try TestBroker.url()
        url.port = 1  // nothing listens there
        var attempts = 0
        #expect {
            _ = try AMQPConnection.connect(url: url, logger: TestBroker.logger, maxDelay: .milliseconds(200)) {
                attempts += 1
                return attempts >= 3
            }
        } throws: { error in
            (error as? AMQPError)?.code == .connectionFailed
        }
        let connection = try AMQPConnection.connect(url: try TestBroker.url(), logger: TestBroker.logger) { false }
        #expect(connection.isOpen)
        connection.close()
        #expect(!connection.isOpen)
    }

    @Test func idleConsumerTimesOutAndServicesHeartbeats() throws {
        let connection = try TestBroker.connect(heartbeat: 1)
        defer { connection.close() }
        let queue = TestBroker.uniqueName("idle")
        defer { try? connection.deleteQueue(queue) }
        try connection.declareQueue(queue)
        try connection.consume(queue: queue)
        // Longer than two heartbeat intervals: the connection must survive by itself.
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(3) {
            #expect(try connection.nextDelivery(timeout: .milliseconds(500)) == nil)
        }
        #expect(connection.isOpen)
        try connection.serviceHeartbeats()
        #expect(try connection.inspectQueue(queue).consumerCount == 1)
    }

    @Test func brokerClosingTheChannelStopsAConsumer() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let queue = TestBroker.uniqueName("badack")
        defer { try? TestBroker.connect().deleteQueue(queue) }
        try connection.declareQueue(queue)
        try connection.consume(queue: queue)
        // Acking a tag that was never delivered is a channel error (406) reported asynchronously.
        try connection.ack(999)
        #expect {
            _ = try connection.nextDelivery(timeout: .seconds(5))
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .channelClosed && error.message.contains("406")
        }
        // Its consumer is gone with the channel, so the connection must be replaced.
        #expect(!connection.isOpen)
        #expect(throws: AMQPError.self) { try connection.ack(1) }
    }

    @Test func brokerClosingTheConnectionIsReported() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        // A frame on a channel that was never opened is a connection error (504 CHANNEL_ERROR).
        let status = amqp_basic_publish(
            connection.state, 7, amqp_empty_bytes, amqp_cstring_bytes("nowhere"), 0, 0, nil, amqp_empty_bytes
        )
        #expect(status == AMQP_STATUS_OK.rawValue)
        var caught: AMQPError?
        let deadline = ContinuousClock.now + .seconds(5)
        while caught == nil, ContinuousClock.now < deadline {
            do {
                try connection.serviceHeartbeats()
                Thread.sleep(forTimeInterval: 0.05)
            } catch let error as AMQPError {
                caught = error
            }
        }
        #expect(caught?.code == .connectionClosed)
        #expect(!connection.isOpen)
        connection.close()
        connection.close()
    }
}
