import AMQP
import FeedloopCore
import Foundation
import Logging
import Metrics
import Postgres

/// The one consume loop every worker role shares (ARCHITECTURE §5): take up to
/// `batchSize` deliveries (or what arrived within `batchWait`), handle them in one
/// transaction, commit their events to the outbox, publish those and await the confirms
/// once, then acknowledge the whole batch with one multiple-ack.
///
/// Runs on a thread of its own: librabbitmq and libpq are blocking, and a connection must stay
/// on one thread. It owns a consuming connection, a publishing connection in confirm mode and
/// a database connection, and reconnects each with backoff when it breaks.
///
/// It reports each connection's state to ``readiness`` (for `/health/ready`) and counts what
/// it does in ``metrics`` (for `/metrics`; docs/OBSERVABILITY.md).
public final class BatchConsumer {
    let role: WorkerRole
    let configuration: FeedloopConfiguration
    let handler: MessageHandler
    let logger: Logger
    let stop: StopSignal
    let publisher: EventPublisher
    let readiness: Readiness
    let metrics: WorkerMetrics
    private let queueDepth: Gauge

    private var consumer: AMQPConnection?
    private var consumerTag = ""
    private var db: PostgresConnection?
    /// Deliveries received but not yet handled (read while waiting on something else, so that
    /// the consuming connection's heartbeats keep flowing).
    private var pending: [AMQPDelivery] = []
    private var nextTick = ContinuousClock.now
    private var nextSweep = ContinuousClock.now
    private var nextDepthProbe = ContinuousClock.now
    /// Whether each connection was open before, so that opening it again counts as a reconnect.
    private var databaseConnectedBefore = false
    private var brokerConnectedBefore = false
    static let pollInterval: Duration = .milliseconds(250)
    /// How often the ready-message count of the worker's queue is refreshed.
    static let depthProbeInterval: Duration = .seconds(5)

    /// Counters since start, logged at shutdown.
    public private(set) var handled = 0
    public private(set) var duplicates = 0
    public private(set) var retried = 0
    public private(set) var deadLettered = 0

    public init(
        role: WorkerRole, configuration: FeedloopConfiguration, handler: MessageHandler, logger: Logger, stop: StopSignal,
        readiness: Readiness = Readiness()
    ) {
        self.role = role
        self.configuration = configuration
        self.handler = handler
        var logger = logger
        logger[metadataKey: "queue"] = "\(role.queue)"
        self.logger = logger
        self.stop = stop
        self.readiness = readiness
        self.metrics = WorkerMetrics(worker: role.rawValue)
        self.queueDepth = metrics.queueDepth(role.queue)
        self.publisher = EventPublisher(
            url: configuration.amqpURL, heartbeat: configuration.heartbeat, name: "feedloop-\(role.rawValue)-publisher", logger: logger
        )
        let metrics = self.metrics
        publisher.onReconnect = { metrics.reconnected(.broker) }
    }

    /// Consumes until the stop signal is set, then finishes the batch in hand and returns.
    public func run() {
        logger.info("worker starting", metadata: ["batch_size": "\(configuration.batchSize)", "prefetch": "\(configuration.prefetch)"])
        var failures = 0
        while !stop.isSet {
            do {
                try connect()
                try step()
                try periodic()
                failures = 0
            } catch {
                failures += 1
                logger.error("worker step failed", metadata: ["error": "\(String(reflecting: error))"])
                dropBrokenConnections(after: error)
                stop.sleep(.milliseconds(min(5000, 100 << min(failures, 6))))
            }
        }
        readiness.markStopping()
        finishWhatIsHeld()
        consumer?.close()
        publisher.close()
        db?.close()
        logger.info(
            "worker stopped",
            metadata: ["handled": "\(handled)", "duplicates": "\(duplicates)", "retried": "\(retried)", "dead_lettered": "\(deadLettered)"]
        )
    }

    // MARK: Connections

    private func connect() throws {
        if db == nil || db?.isOpen == false {
            db?.close()
            let c = try PostgresConnection.connect(url: configuration.databaseURL, logger: logger) {
                // Called after each failed attempt, before the backoff.
                self.readiness.fail(.database, "cannot connect to the database; retrying")
                return self.pumpAndCheckStop()
            }
            do {
                if configuration.migrateAtStart {
                    try Migrator(logger: logger).migrate(c)
                }
                try Migrator.requireCurrent(c)
            } catch {
                readiness.fail(.database, "schema check failed: \(error)")
                throw error
            }
            db = c
            readiness.pass(.database)
            if databaseConnectedBefore { metrics.reconnected(.database) }
            databaseConnectedBefore = true
        }
        if consumer == nil || consumer?.isOpen == false {
            consumer?.close()
            pending.removeAll()  // unacknowledged: the broker redelivers them
            let c = try AMQPConnection.connect(
                url: configuration.amqpURL, heartbeat: configuration.heartbeat, connectionName: "feedloop-\(role.rawValue)",
                logger: logger
            ) {
                // Called after each failed attempt, before the backoff.
                self.readiness.fail(.broker, "cannot connect to the broker at \(self.configuration.amqpURL); retrying")
                return self.stop.isSet
            }
            readiness.pass(.broker)
            do {
                try Topology.declare(role, on: c, deliveryLimit: configuration.deliveryLimit, retryDelay: configuration.retryDelay)
            } catch {
                readiness.fail(.topology, "declaring the topology failed: \(error)")
                throw error
            }
            readiness.pass(.topology)
            try c.setPrefetch(UInt16(configuration.prefetch))
            consumerTag = try c.consume(queue: role.queue)
            consumer = c
            if brokerConnectedBefore { metrics.reconnected(.broker) }
            brokerConnectedBefore = true
            logger.info("consuming", metadata: ["amqp_url": "\(configuration.amqpURL)"])
        }
    }

    /// Used as `shouldStop` while something else reconnects: keeps the consumer's heartbeats
    /// alive by reading (and keeping) whatever the broker pushes meanwhile.
    private func pumpAndCheckStop() -> Bool {
        if let consumer, consumer.isOpen {
            while let d = try? consumer.nextDelivery(timeout: .zero) { pending.append(d) }
        }
        return stop.isSet
    }

    private func dropBrokenConnections(after error: Error) {
        if let c = consumer, !c.isOpen {
            c.close()
            consumer = nil
            pending.removeAll()
            readiness.fail(.broker, "connection lost; reconnecting")
        }
        if let d = db, !d.isOpen {
            d.close()
            db = nil
            readiness.fail(.database, "connection lost; reconnecting")
        }
    }

    /// On stop: tell the broker to send nothing more, then handle and acknowledge what it
    /// already sent, so that graceful shutdown returns almost nothing to the queue (a returned
    /// message counts against the queue's delivery limit). What the broker had in flight when
    /// the cancel reached it — at most about one batch, sent for the last acknowledgement — it
    /// returns itself; whatever fails here is redelivered too.
    private func finishWhatIsHeld() {
        guard let consumer, consumer.isOpen, db != nil else { return }
        do {
            try consumer.cancel(consumerTag: consumerTag)
            // A quorum queue may still deliver a few messages just after cancel-ok: read until
            // the connection has been quiet for a moment.
            while let d = try consumer.nextDelivery(timeout: .milliseconds(200)) { pending.append(d) }
            while !pending.isEmpty {
                try process(takePending(max: configuration.batchSize))
            }
        } catch {
            logger.warning("could not finish every held message; the broker redelivers the rest", metadata: ["error": "\(error)"])
        }
    }

    // MARK: The loop

    private func step() throws {
        guard let consumer else { return }
        var batch = takePending(max: configuration.batchSize)
        if batch.isEmpty, let first = try consumer.nextDelivery(timeout: Self.pollInterval) {
            batch.append(first)
        }
        guard !batch.isEmpty else {
            publisher.idle()
            return
        }
        let fillBy = ContinuousClock.now + configuration.batchWait
        while batch.count < configuration.batchSize {
            let left = fillBy - ContinuousClock.now
            guard let d = try consumer.nextDelivery(timeout: max(left, .zero)) else { break }
            batch.append(d)
        }
        do {
            try process(batch)
        } catch {
            // Not acknowledged: keep the batch for the next attempt on a healthy connection.
            if consumer.isOpen { pending.insert(contentsOf: batch, at: 0) }
            throw error
        }
    }

    private func takePending(max: Int) -> [AMQPDelivery] {
        let n = min(max, pending.count)
        let taken = Array(pending.prefix(n))
        pending.removeFirst(n)
        return taken
    }

    private func periodic() throws {
        guard let db else { return }
        let now = ContinuousClock.now
        let context = WorkerContext(
            db: db, publisher: publisher, logger: logger, configuration: configuration, metrics: metrics, shouldStop: pumpAndCheckStop)
        if let interval = handler.tickInterval, now >= nextTick {
            nextTick = now + interval
            try handler.tick(context)
        }
        if now >= nextSweep {
            nextSweep = now + .seconds(5)
            let n = try Outbox.relay(db: db, publisher: publisher, shouldStop: pumpAndCheckStop)
            metrics.published(n)
            if n > 0 { logger.notice("published outbox rows left by an interrupted writer", metadata: ["count": "\(n)"]) }
        }
        if let consumer, now >= nextDepthProbe {
            nextDepthProbe = now + Self.depthProbeInterval
            // A passive declare on the consuming connection: deliveries arriving meanwhile are kept.
            queueDepth.record(Int(try consumer.inspectQueue(role.queue).messageCount))
        }
    }

    // MARK: Handling a batch

    private func process(_ batch: [AMQPDelivery]) throws {
        guard let consumer, let db else { return }
        let started = ContinuousClock.now
        let now = Date()
        var messages: [InboundMessage] = []
        var seen: Set<String> = []
        var unreadable: [(AMQPDelivery, String)] = []
        for d in batch {
            do {
                let header = try FeedloopJSON.decoder().decode(EnvelopeHeader.self, from: Data(d.body))
                if let age = MessageAge.seconds(now: now, timestamp: d.properties.timestamp, occurredAt: header.occurredAt) {
                    metrics.messageAge(seconds: age)
                }
                // The same message twice in one batch (a requeue racing the original): once is enough.
                if seen.insert(header.messageId).inserted {
                    messages.append(InboundMessage(delivery: d, header: header))
                } else {
                    duplicates += 1
                    metrics.count(.duplicate)
                }
            } catch {
                unreadable.append((d, "unreadable envelope: \(error)"))
            }
        }
        if !unreadable.isEmpty {
            try publisher.publish(unreadable.map { deadLetter($0.0, reason: $0.1, attempts: attempt(of: $0.0)) }, shouldStop: pumpAndCheckStop)
            deadLettered += unreadable.count
            metrics.count(.failed, unreadable.count)
            metrics.count(.deadLettered, unreadable.count)
            for (d, reason) in unreadable {
                logger.warning("dead-lettered unreadable message", metadata: ["message_id": "\(d.properties.messageId ?? "-")", "reason": "\(reason)"])
            }
        }
        do {
            try handleTogether(messages, db: db)
        } catch let error as PostgresError where error.code == .connectionClosed || error.code == .connectionFailed {
            throw error
        } catch let error as AMQPError {
            throw error
        } catch {
            guard messages.count > 1 else {
                if let m = messages.first { try fail(m.delivery, messageId: m.messageId, error: error) }
                try consumer.ack(batch.last!.deliveryTag, multiple: true)
                metrics.batch(size: batch.count, duration: ContinuousClock.now - started)
                return
            }
            logger.notice("batch failed; handling its messages one by one", metadata: ["error": "\(error)", "size": "\(messages.count)"])
            for m in messages {
                do {
                    try handleTogether([m], db: db)
                } catch let error as PostgresError where error.code == .connectionClosed || error.code == .connectionFailed {
                    throw error
                } catch let error as AMQPError {
                    throw error
                } catch {
                    try fail(m.delivery, messageId: m.messageId, error: error)
                }
            }
        }
        try consumer.ack(batch.last!.deliveryTag, multiple: true)
        metrics.batch(size: batch.count, duration: ContinuousClock.now - started)
        if !messages.isEmpty {
            try handler.afterCommit(
                WorkerContext(db: db, publisher: publisher, logger: logger, configuration: configuration, metrics: metrics, shouldStop: pumpAndCheckStop))
        }
    }

    /// One transaction for `messages`: claim their ids in the inbox, let the handler act on the
    /// new ones, commit its events to the outbox; then publish and clear them.
    private func handleTogether(_ messages: [InboundMessage], db: PostgresConnection) throws {
        guard !messages.isEmpty else { return }
        let (fresh, inserted) = try db.transaction { tx -> (Int, [(id: Int64, message: OutgoingMessage)]) in
            let fresh = try Inbox.claim(consumer: role.rawValue, messageIds: messages.map(\.messageId), in: tx)
            let todo = messages.filter { fresh.contains($0.messageId) }
            guard !todo.isEmpty else { return (0, []) }
            let out = try handler.handle(todo, in: tx)
            return (todo.count, try Outbox.insert(out, relayAfter: Outbox.writerGrace, in: tx))
        }
        // Counted once committed: a rolled-back batch is handled again.
        handled += fresh
        duplicates += messages.count - fresh
        metrics.count(.handled, fresh)
        metrics.count(.duplicate, messages.count - fresh)
        guard !inserted.isEmpty else { return }
        try publisher.publish(inserted.map(\.message), shouldStop: pumpAndCheckStop)
        metrics.published(inserted.count)
        try Outbox.deletePublished(ids: inserted.map(\.id), in: db)
    }

    // MARK: Failures

    private func attempt(of delivery: AMQPDelivery) -> Int {
        if case .int(let n) = delivery.properties.headers[Self.attemptHeader] { return Int(n) }
        return 1
    }

    static let attemptHeader = "x-feedloop-attempt"
    static let errorHeader = "x-feedloop-error"
    static let brokerHeaders: Set<String> = ["x-delivery-count", "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason"]

    /// Sends a failed message to the retry queue (it returns after the retry delay) or, when
    /// it can never succeed or used its attempts, to the dead queue with the reason.
    private func fail(_ delivery: AMQPDelivery, messageId: String, error: Error) throws {
        let attempt = attempt(of: delivery)
        // An event naming a ticket that does not exist stays that way: events leave the outbox
        // only after the rows they name committed.
        let permanent = error is MessageDecodingError || error is PermanentMessageError || (error as? PostgresError)?.isForeignKeyViolation == true
        let reason = "\(error)"
        let message: OutgoingMessage
        if permanent || attempt >= configuration.maxAttempts {
            message = deadLetter(delivery, reason: reason, attempts: attempt)
            deadLettered += 1
            metrics.count(.deadLettered)
            logger.warning(
                "dead-lettered message",
                metadata: ["message_id": "\(messageId)", "attempts": "\(attempt)", "reason": "\(reason)"]
            )
        } else {
            message = copy(delivery, to: role.retryQueue, extraHeaders: [Self.attemptHeader: .int(Int64(attempt + 1)), Self.errorHeader: .string(reason)])
            retried += 1
            metrics.count(.retried)
            logger.notice("message failed; retrying later", metadata: ["message_id": "\(messageId)", "attempt": "\(attempt)", "error": "\(reason)"])
        }
        try publisher.publish([message], shouldStop: pumpAndCheckStop)
        metrics.count(.failed)
    }

    private func deadLetter(_ delivery: AMQPDelivery, reason: String, attempts: Int) -> OutgoingMessage {
        copy(
            delivery, to: role.deadQueue,
            extraHeaders: [
                Self.errorHeader: .string(reason),
                Self.attemptHeader: .int(Int64(attempts)),
                "x-feedloop-queue": .string(role.queue),
                "x-feedloop-failed-at": .string(FeedloopJSON.formatTimestamp(Date())),
            ]
        )
    }

    private func copy(_ delivery: AMQPDelivery, to queue: String, extraHeaders: AMQPTable) -> OutgoingMessage {
        let p = delivery.properties
        return OutgoingMessage(
            messageId: p.messageId ?? "unknown", exchange: "", routingKey: queue, type: p.type ?? delivery.routingKey,
            ticketId: p.correlationId.flatMap { Int64($0) }, body: delivery.body, timestamp: p.timestamp ?? Date(),
            // The broker's own bookkeeping headers describe the old delivery, not the new message.
            headers: p.headers.filter { !Self.brokerHeaders.contains($0.key) }.merging(extraHeaders) { _, new in new }
        )
    }
}

extension StopSignal {
    var isSetClosure: () -> Bool { { self.isSet } }
}
