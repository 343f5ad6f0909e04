import AMQP
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// The notifier's delivery thread. It runs a delivery pass when the event handler committed
/// new rows (``NotificationDispatcher/wake()``), when a wake message comes back from a retry
/// queue or a replay (`feedloop.notifier.deliver`), and every sweep interval — the sweep finds
/// rows whose wake was lost (a notifier killed after committing a failure but before
/// publishing its wake, or rows a dead replica had claimed). Wake messages are acknowledged
/// only after the pass and the wakes it schedules are published.
final class DeliveryLoop {
    let configuration: FeedloopConfiguration
    let delivery: NotificationDelivery
    let dispatcher: NotificationDispatcher
    let sweepInterval: Duration
    let logger: Logger
    let stop: StopSignal
    let publisher: EventPublisher

    private var consumer: AMQPConnection?
    private var db: PostgresConnection?
    /// Wakes received but not yet acknowledged.
    private var held: [AMQPDelivery] = []
    private var nextSweep = ContinuousClock.now
    /// A full pass left rows behind: run again without waiting.
    private var more = false

    init(
        configuration: FeedloopConfiguration, delivery: NotificationDelivery, dispatcher: NotificationDispatcher, sweepInterval: Duration, logger: Logger,
        stop: StopSignal
    ) {
        self.configuration = configuration
        self.delivery = delivery
        self.dispatcher = dispatcher
        self.sweepInterval = sweepInterval
        var logger = logger
        logger[metadataKey: "queue"] = "\(DeliveryTopology.deliverQueue)"
        self.logger = logger
        self.stop = stop
        publisher = EventPublisher(url: configuration.amqpURL, heartbeat: configuration.heartbeat, name: "feedloop-notifier-delivery-publisher", logger: logger)
    }

    func run() {
        var failures = 0
        while !stop.isSet {
            do {
                try connect()
                try step()
                failures = 0
            } catch let error as SchemaVersionError {
                // The consume loop migrates at start (FEEDLOOP_MIGRATE): wait for it.
                logger.notice("waiting for the database schema", metadata: ["error": "\(error)"])
                stop.sleep(.seconds(1))
            } catch {
                failures += 1
                logger.error("delivery step failed", metadata: ["error": "\(String(reflecting: error))"])
                if let c = consumer, !c.isOpen {
                    c.close()
                    consumer = nil
                    held.removeAll()  // unacknowledged: the broker redelivers them
                }
                if let d = db, !d.isOpen {
                    d.close()
                    db = nil
                }
                stop.sleep(.milliseconds(min(5000, 100 << min(failures, 6))))
            }
        }
        consumer?.close()
        publisher.close()
        db?.close()
    }

    private func connect() throws {
        if db == nil || db?.isOpen == false {
            db?.close()
            let c = try PostgresConnection.connect(url: configuration.databaseURL, logger: logger, shouldStop: { self.stop.isSet })
            // The consume loop migrates at start; until it has, wait.
            do {
                try Migrator.requireCurrent(c)
            } catch {
                c.close()
                throw error
            }
            db = c
        }
        if consumer == nil || consumer?.isOpen == false {
            consumer?.close()
            held.removeAll()
            let c = try AMQPConnection.connect(
                url: configuration.amqpURL, heartbeat: configuration.heartbeat, connectionName: "feedloop-notifier-delivery", logger: logger,
                shouldStop: { self.stop.isSet }
            )
            try DeliveryTopology.declare(on: c, retryDelays: delivery.retry.delays)
            try c.setPrefetch(500)
            try c.consume(queue: DeliveryTopology.deliverQueue)
            consumer = c
        }
    }

    private func step() throws {
        guard let consumer, let db else { return }
        let asked = dispatcher.takeWake()
        let idle = !asked && !more && held.isEmpty
        if let first = try consumer.nextDelivery(timeout: idle ? .milliseconds(100) : .zero) {
            held.append(first)
            while held.count < 500, let next = try consumer.nextDelivery(timeout: .zero) { held.append(next) }
        }
        let now = ContinuousClock.now
        let sweep = now >= nextSweep
        guard asked || more || sweep || !held.isEmpty else {
            publisher.idle()
            return
        }
        if sweep { nextSweep = now + sweepInterval }
        // A wake that came back before its rows are due (a long hold waits in several hops)
        // goes round again for the rest.
        var out: [OutgoingMessage] = []
        for delivery in held {
            guard let wake = try? NotificationWake.decode(delivery.body) else {
                logger.warning("dropped an unreadable delivery wake", metadata: ["message_id": "\(delivery.properties.messageId ?? "-")"])
                continue
            }
            let remaining = wake.dueAt.timeIntervalSinceNow
            if remaining > 0.5 {
                let (queue, _) = DeliveryTopology.queue(toWait: .milliseconds(Int64(remaining * 1000)), delays: self.delivery.retry.delays)
                out.append(try wake.message(to: queue))
            }
        }
        let pass = try delivery.deliverDue(db: db)
        more = pass.more
        out += pass.wakes
        if !out.isEmpty { try publisher.publish(out, shouldStop: { self.stop.isSet }) }
        if let last = held.last {
            try consumer.ack(last.deliveryTag, multiple: true)
            held.removeAll()
        }
        if pass.attempted > 0 || pass.held > 0 {
            logger.debug("delivery pass", metadata: ["attempted": "\(pass.attempted)", "held": "\(pass.held)"])
        }
    }
}
