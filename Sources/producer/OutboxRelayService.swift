import AMQP
import FeedloopRuntime
import Foundation
import Logging
import Metrics
import Postgres

/// Lets request handlers tell the relay that events were committed, so they go out at once
/// instead of at the next sweep. Wake-ups that arrive while the relay is busy collapse into one.
final class RelayWakeup: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false

    func wake() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Waits until woken or until `timeout` passed; returns whether it was woken.
    func wait(timeout: Duration) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout.seconds)
        while !pending {
            if !condition.wait(until: deadline) { break }
        }
        let woken = pending
        pending = false
        return woken
    }
}

/// Publishes the producer's outbox: on every wake-up it drains all pending rows in confirmed
/// batches of up to ``batchLimit``, so under load the events of many requests share one
/// confirm wait. A sweep every ``sweepInterval`` also publishes rows left by a producer that
/// was killed between commit and publish. Runs on its own thread (blocking clients).
final class OutboxRelay {
    static let batchLimit = 500
    static let sweepInterval: Duration = .seconds(1)
    /// How often the wait checks the stop signal.
    static let waitSlice: Duration = .milliseconds(100)
    static let reportInterval: Duration = .seconds(30)

    let configuration: FeedloopConfiguration
    let wakeup: RelayWakeup
    let logger: Logger
    /// The producer's broker check: a failed publish fails it, a successful drain passes it.
    let readiness: Readiness
    private let published = Counter(label: MetricName.outboxPublished, dimensions: [("worker", "producer")])
    private let publisher: EventPublisher
    private var db: PostgresConnection?
    private var publishedSinceReport = 0
    private var batchesSinceReport = 0
    private var nextReport = ContinuousClock.now + OutboxRelay.reportInterval

    init(configuration: FeedloopConfiguration, wakeup: RelayWakeup, logger: Logger, readiness: Readiness = Readiness()) {
        self.readiness = readiness
        self.configuration = configuration
        self.wakeup = wakeup
        self.logger = logger
        self.publisher = EventPublisher(
            url: configuration.amqpURL, heartbeat: configuration.heartbeat, name: "feedloop-producer-relay", logger: logger
        )
    }

    /// Relays until `stop` is set, then drains once more (events of the last requests) and returns.
    func run(stop: StopSignal) {
        logger.info("outbox relay starting")
        var failures = 0
        var nextSweep = ContinuousClock.now
        while true {
            let stopping = stop.isSet
            let woken = stopping ? false : wakeup.wait(timeout: Self.waitSlice)
            if woken || stopping || ContinuousClock.now >= nextSweep {
                do {
                    try drain(stop: stop)
                    readiness.pass(.broker)
                    failures = 0
                    nextSweep = ContinuousClock.now + Self.sweepInterval
                } catch {
                    failures += 1
                    if error is AMQPError { readiness.fail(.broker, "publishing to the broker failed; retrying") }
                    logger.error("outbox relay failed; retrying", metadata: ["error": "\(String(reflecting: error))", "failures": "\(failures)"])
                    dropBrokenConnections()
                    if stopping { break }
                    stop.sleep(.milliseconds(min(5000, 100 << min(failures, 6))))
                }
            } else {
                publisher.idle()
            }
            report(force: stopping)
            if stopping { break }
        }
        publisher.close()
        db?.close()
        logger.info("outbox relay stopped")
    }

    /// Publishes batches until fewer than a full batch is pending.
    private func drain(stop: StopSignal) throws {
        let db = try connectedDatabase(stop: stop)
        while true {
            let n = try Outbox.relay(db: db, publisher: publisher, limit: Self.batchLimit) { stop.isSet }
            if n > 0 {
                published.increment(by: n)
                publishedSinceReport += n
                batchesSinceReport += 1
            }
            if n < Self.batchLimit { return }
        }
    }

    private func connectedDatabase(stop: StopSignal) throws -> PostgresConnection {
        if let db, db.isOpen { return db }
        db?.close()
        let c = try PostgresConnection.connect(url: configuration.databaseURL, logger: logger) { stop.isSet }
        db = c
        return c
    }

    private func dropBrokenConnections() {
        // A failed statement inside relay() may leave libpq believing the link is up; closing
        // on any error is cheap and gets a clean session.
        db?.close()
        db = nil
    }

    /// Counts at info level every ``reportInterval`` when anything was published, never per message.
    private func report(force: Bool) {
        guard force || ContinuousClock.now >= nextReport else { return }
        nextReport = ContinuousClock.now + Self.reportInterval
        guard publishedSinceReport > 0 else { return }
        logger.info("outbox events published", metadata: ["events": "\(publishedSinceReport)", "batches": "\(batchesSinceReport)"])
        publishedSinceReport = 0
        batchesSinceReport = 0
    }
}

extension ThreadService {
    /// The relay as a lifecycle service: graceful shutdown stops it after a last drain.
    static func outboxRelay(configuration: FeedloopConfiguration, wakeup: RelayWakeup, logger: Logger, readiness: Readiness) -> ThreadService {
        ThreadService(name: "feedloop-producer-relay") { stop in
            OutboxRelay(configuration: configuration, wakeup: wakeup, logger: logger, readiness: readiness).run(stop: stop)
        }
    }
}
