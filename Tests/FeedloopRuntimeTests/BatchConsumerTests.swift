import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// The shared consume loop against a real broker and database: batching, deduplication by
/// message id, events through the outbox, retries that wait, dead letters with reasons.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct BatchConsumerTests {
    /// Records each handled ticket in a table and answers with a ticket.classified event;
    /// fails on command: always for `poison`, on the first attempt for `flaky`.
    final class RecordingHandler: MessageHandler {
        let poison: Set<Int64>
        let flaky: Set<Int64>
        /// Tickets whose handling writes a row naming a ticket that does not exist.
        let orphans: Set<Int64>
        /// Time each batch takes, to keep deliveries in hand when a test stops the loop.
        let delay: TimeInterval
        /// Raised once this many messages are handled, so a test stops the loop mid-run however
        /// busy the machine is.
        let stopAfter: (count: Int, signal: StopSignal)?
        var failedOnce: Set<Int64> = []
        var handledCount = 0

        init(
            poison: Set<Int64> = [], flaky: Set<Int64> = [], orphans: Set<Int64> = [], delay: TimeInterval = 0, stopAfter: (Int, StopSignal)? = nil
        ) {
            self.poison = poison
            self.flaky = flaky
            self.orphans = orphans
            self.delay = delay
            self.stopAfter = stopAfter.map { (count: $0.0, signal: $0.1) }
        }

        struct Transient: Error, CustomStringConvertible {
            var description: String { "transient failure for the test" }
        }

        func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            var out: [OutgoingMessage] = []
            for m in messages {
                let event = try m.decode(FeedbackReceived.self).data
                if poison.contains(event.ticketId) { throw PermanentMessageError("ticket \(event.ticketId) is poison") }
                if flaky.contains(event.ticketId), failedOnce.insert(event.ticketId).inserted { throw Transient() }
                if orphans.contains(event.ticketId) {
                    try db.query("INSERT INTO ticket_transitions (ticket_id, to_state, actor) VALUES ($1, 'open', 'test')", [.int(event.ticketId)])
                }
                try db.query("INSERT INTO handled (ticket_id) VALUES ($1)", [.int(event.ticketId)])
                out.append(try .event(classified(event.ticketId)))
            }
            handledCount += messages.count
            if let stopAfter, handledCount >= stopAfter.count { stopAfter.signal.set() }
            return out
        }
    }

    static func received(_ id: Int64) -> FeedbackReceived {
        FeedbackReceived(ticketId: id, channel: .chat, externalId: "ext-\(id)", text: "屏幕坏了", customerTier: nil, receivedAt: Date())
    }

    static func classified(_ id: Int64) -> TicketClassified {
        TicketClassified(
            ticketId: id, channel: .chat, category: .product, subcategory: nil, sentiment: .negative, level: .important,
            levelRule: "negative_complaint", department: "rd", customerTier: nil, receivedAt: Date(), classifiedAt: Date()
        )
    }

    /// A scratch database and vhost with the classifier's topology and a queue catching its output.
    struct Fixture {
        let database: ScratchDatabase
        let vhost: ScratchVirtualHost
        let configuration: FeedloopConfiguration
        let broker: AMQPConnection
        let outputQueue = "test.classified"

        init() throws {
            database = try ScratchDatabase.create()
            vhost = try ScratchVirtualHost.create()
            configuration = try .forTests(database: database, vhost: vhost, extra: ["FEEDLOOP_BATCH_SIZE": "100"])
            let db = try database.connect()
            try db.query("CREATE TABLE handled (ticket_id bigint NOT NULL)")
            db.close()
            broker = try AMQPConnection(url: vhost.amqpURL(), logger: TestServers.logger)
            try Topology.declare(.classifier, on: broker, deliveryLimit: 20, retryDelay: configuration.retryDelay)
            try broker.declareQueue(outputQueue, arguments: ["x-queue-type": .string("quorum")])
            try broker.bindQueue(outputQueue, exchange: Topology.eventsExchange, routingKey: EventType.ticketClassified.rawValue)
            try broker.enableConfirms()
        }

        func publish(_ messages: [OutgoingMessage]) throws {
            for m in messages {
                try broker.publish(
                    exchange: m.exchange, routingKey: m.routingKey, body: m.body,
                    properties: AMQPMessageProperties(contentType: "application/json", messageId: m.messageId, type: m.type)
                )
            }
            try broker.waitForConfirms()
        }

        func handledCount() throws -> Int { try database.scalar(Int.self, "SELECT count(*) FROM handled") }

        func tearDown() {
            broker.close()
            vhost.delete()
            database.drop()
        }
    }

    @Test func handlesEveryMessageOnceAndPublishesItsEventsThroughTheOutbox() async throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let events = try (1...500).map { try OutgoingMessage.event(Self.received($0)) }
        // Every tenth message twice: a redelivery or a requeue racing the original.
        try fixture.publish(events + events.enumerated().filter { $0.offset % 10 == 0 }.map(\.element))

        let consumer = BackgroundConsumer(role: .classifier, configuration: fixture.configuration) { RecordingHandler() }
        let allHandled = await eventually { (try? fixture.handledCount()) == 500 }
        #expect(allHandled)
        let outputs = await eventually { (try? fixture.broker.inspectQueue(fixture.outputQueue).messageCount) == 500 }
        consumer.stopAndWait()

        #expect(outputs)
        #expect(try fixture.handledCount() == 500)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(DISTINCT ticket_id) FROM handled") == 500)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM inbox WHERE consumer = 'classifier'") == 500)
        #expect(try fixture.broker.inspectQueue(WorkerRole.classifier.queue).messageCount == 0)
        #expect(try fixture.broker.inspectQueue(WorkerRole.classifier.deadQueue).messageCount == 0)
    }

    @Test func retriesTransientFailuresAfterADelayAndDeadLettersPoisonWithTheReason() async throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        var messages = try (1...20).map { try OutgoingMessage.event(Self.received($0)) }
        messages.append(
            OutgoingMessage(
                messageId: "garbage-1", exchange: Topology.eventsExchange, routingKey: EventType.feedbackReceived.rawValue,
                type: EventType.feedbackReceived.rawValue, ticketId: nil, body: Array("not json".utf8)
            )
        )
        try fixture.publish(messages)

        let consumer = BackgroundConsumer(role: .classifier, configuration: fixture.configuration) {
            RecordingHandler(poison: [13], flaky: [7], orphans: [17])
        }
        let settled = await eventually {
            (try? fixture.handledCount()) == 18 && (try? fixture.broker.inspectQueue(WorkerRole.classifier.deadQueue).messageCount) == 3
        }
        consumer.stopAndWait()
        #expect(settled)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM handled WHERE ticket_id = 13") == 0)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM handled WHERE ticket_id = 17") == 0)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM handled WHERE ticket_id = 7") == 1)

        try fixture.broker.consume(queue: WorkerRole.classifier.deadQueue)
        var reasons: [String: String] = [:]
        var attempts: [String: AMQPFieldValue] = [:]
        for _ in 0..<3 {
            let d = try #require(try fixture.broker.nextDelivery(timeout: .seconds(5)))
            if case .string(let reason) = d.properties.headers["x-feedloop-error"] { reasons[d.properties.messageId ?? ""] = reason }
            attempts[d.properties.messageId ?? ""] = d.properties.headers["x-feedloop-attempt"]
            try fixture.broker.ack(d.deliveryTag)
        }
        #expect(reasons["feedback.received/13"]?.contains("ticket 13 is poison") == true)
        // A row naming a missing ticket is dead at the first attempt, not retried.
        #expect(reasons["feedback.received/17"]?.contains("23503") == true, "\(reasons)")
        #expect(attempts["feedback.received/17"] == .int(1))
        #expect(reasons["garbage-1"]?.contains("unreadable envelope") == true)
    }

    @Test func aGracefulStopHandlesWhatItWasSentInsteadOfReturningIt() async throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        try fixture.publish(try (1...1000).map { try OutgoingMessage.event(Self.received($0)) })
        let configuration = try FeedloopConfiguration.forTests(
            database: fixture.database, vhost: fixture.vhost, extra: ["FEEDLOOP_BATCH_SIZE": "20", "FEEDLOOP_PREFETCH": "300"]
        )
        // The handler raises the stop after 100 of the 300 it was sent; polling from the test
        // instead came too late whenever other suites kept the machine busy.
        let stop = StopSignal()
        let consumer = BackgroundConsumer(role: .classifier, configuration: configuration, stop: stop) {
            RecordingHandler(delay: 0.05, stopAfter: (100, stop))
        }
        consumer.waitForExit()
        let handled = try fixture.handledCount()
        #expect(handled >= 100)
        #expect(handled < 1000, "stopped mid-run")

        // The stopped worker handled what it had been sent (up to 300) instead of returning it;
        // only what the broker still had in flight for its last acknowledgement, one batch at
        // most, comes back as redelivered.
        try fixture.broker.consume(queue: WorkerRole.classifier.queue)
        var rest = 0
        var redelivered = 0
        while let d = try fixture.broker.nextDelivery(timeout: .seconds(2)) {
            rest += 1
            if d.redelivered { redelivered += 1 }
            try fixture.broker.ack(d.deliveryTag)
        }
        #expect(handled + rest == 1000)
        #expect(redelivered <= 20)
    }

    @Test func relaysOutboxRowsLeftBehindByACrashedWriter() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let db = try fixture.database.connect()
        defer { db.close() }
        // Committed but never published: as if the writer died between commit and confirm.
        try db.transaction { tx in
            _ = try Outbox.insert(try (1...30).map { try OutgoingMessage.event(Self.classified($0)) }, relayAfter: Outbox.writerGrace, in: tx)
        }
        let publisher = EventPublisher(url: try fixture.vhost.amqpURL(), heartbeat: 10, name: "test-relay", logger: TestServers.logger)
        defer { publisher.close() }
        #expect(try Outbox.relay(db: db, publisher: publisher) == 0, "within the grace period the rows belong to their writer")
        try db.query("UPDATE outbox SET relay_after = now() - interval '1 second'")
        #expect(try Outbox.relay(db: db, publisher: publisher) == 30)
        #expect(try fixture.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(try fixture.broker.inspectQueue(fixture.outputQueue).messageCount == 30)
    }

    @Test func aNackedBatchIsSentOnceMoreOnANewConnectionThenThrown() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let queue = "feedloop.test.full"
        try fixture.broker.declareQueue(queue, arguments: ["x-max-length": .int(5), "x-overflow": .string("reject-publish")])
        let publisher = EventPublisher(url: try fixture.vhost.amqpURL(), heartbeat: 10, name: "test-nacks", logger: TestServers.logger)
        defer { publisher.close() }
        var counted = 0
        publisher.onReconnect = { counted += 1 }
        let messages = (1...12).map {
            OutgoingMessage(messageId: "m\($0)", exchange: "", routingKey: queue, type: "test", ticketId: nil, body: Array("\($0)".utf8))
        }
        #expect {
            try publisher.publish(messages)
        } throws: { error in
            (error as? AMQPError)?.code == .publishNacked
        }
        // Sent twice, on two connections, both refused beyond the limit; the second left closed.
        #expect(publisher.reconnects == 2 && counted == 2, "each reopening is reported, for feedloop_reconnects_total")
        #expect(try fixture.broker.inspectQueue(queue).messageCount == 5)
        try fixture.broker.purgeQueue(queue)
        try publisher.publish(Array(messages.prefix(3)))
        #expect(try fixture.broker.inspectQueue(queue).messageCount == 3)
    }

    @Test func migratesOnceAndRefusesAnOlderSchema() throws {
        let database = try ScratchDatabase.create()
        defer { database.drop() }
        let db = try database.connect()
        defer { db.close() }
        #expect(try Migrator(logger: TestServers.logger).migrate(db).isEmpty, "already migrated by ScratchDatabase")
        #expect(try Migrator.currentVersion(db) == Migration.latestVersion)
        try Migrator.requireCurrent(db)
        try db.query("DELETE FROM schema_migrations")
        #expect(throws: SchemaVersionError.self) { try Migrator.requireCurrent(db) }
    }
}
