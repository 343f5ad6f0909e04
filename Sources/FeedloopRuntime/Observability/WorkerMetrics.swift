import Foundation
import Metrics

/// What happened to a message in the consume loop: the `outcome` label of
/// `feedloop_messages_total`.
public enum MessageOutcome: String, CaseIterable, Sendable {
    /// Handled and committed for the first time.
    case handled
    /// Already handled before (the inbox knew its id) or twice in one batch.
    case duplicate
    /// Failed; the count of every failure, whether it is retried or dead-lettered.
    case failed
    /// Failed and sent to the retry queue.
    case retried
    /// Sent to the dead queue (failed for good, used its attempts, or unreadable).
    case deadLettered = "dead_lettered"
}

/// The connection a reconnect counts against: the `target` label of `feedloop_reconnects_total`.
public enum ReconnectTarget: String, Sendable {
    case database, broker
}

/// The metric handles of one worker role (label `worker`), made once per consume loop; the
/// handles of the same name and labels share one series, so replicas in one process add up.
public struct WorkerMetrics: Sendable {
    public let worker: String
    private let messages: [MessageOutcome: Counter]
    private let batchSize: Recorder
    private let batchSeconds: Recorder
    private let messageAge: Recorder
    private let reconnects: [ReconnectTarget: Counter]
    private let outboxPublished: Counter

    public init(worker: String) {
        FeedloopMetrics.bootstrap()
        self.worker = worker
        let label = [("worker", worker)]
        var messages: [MessageOutcome: Counter] = [:]
        for outcome in MessageOutcome.allCases {
            messages[outcome] = Counter(label: MetricName.messages, dimensions: label + [("outcome", outcome.rawValue)])
        }
        self.messages = messages
        self.batchSize = Recorder(label: MetricName.batchSize, dimensions: label)
        self.batchSeconds = Recorder(label: MetricName.batchSeconds, dimensions: label)
        self.messageAge = Recorder(label: MetricName.messageAgeSeconds, dimensions: label)
        self.reconnects = [
            .database: Counter(label: MetricName.reconnects, dimensions: label + [("target", ReconnectTarget.database.rawValue)]),
            .broker: Counter(label: MetricName.reconnects, dimensions: label + [("target", ReconnectTarget.broker.rawValue)]),
        ]
        self.outboxPublished = Counter(label: MetricName.outboxPublished, dimensions: label)
    }

    public func count(_ outcome: MessageOutcome, _ n: Int = 1) {
        guard n > 0 else { return }
        messages[outcome]?.increment(by: n)
    }

    /// One handled batch: how many messages and how long the transaction, publish, confirm and ack took.
    public func batch(size: Int, duration: Duration) {
        batchSize.record(size)
        batchSeconds.record(duration.seconds)
    }

    public func messageAge(seconds: Double) {
        messageAge.record(seconds)
    }

    public func reconnected(_ target: ReconnectTarget) {
        reconnects[target]?.increment()
    }

    public func published(_ n: Int) {
        guard n > 0 else { return }
        outboxPublished.increment(by: n)
    }

    /// A gauge of the ready messages in `queue`, refreshed by the consume loop.
    public func queueDepth(_ queue: String) -> Gauge {
        Gauge(label: MetricName.queueMessages, dimensions: [("worker", worker), ("queue", queue)])
    }
}

/// Queue lag of one delivery, from the times it carries.
public enum MessageAge {
    /// Seconds from the message's publication to `now`, never negative; nil without any time.
    ///
    /// The AMQP `timestamp` property holds whole seconds only. The envelope's `occurred_at`
    /// has milliseconds and is the same instant when the event was published as it occurred
    /// (every Feedloop event is), so it refines the timestamp when both fall in the same
    /// second; a retried copy keeps the original timestamp, so its age includes the retry wait.
    public static func seconds(now: Date, timestamp: Date?, occurredAt: Date?) -> Double? {
        let published: Date
        switch (timestamp, occurredAt) {
        case (let t?, let o?):
            published = o.timeIntervalSince1970.rounded(.down) == t.timeIntervalSince1970.rounded(.down) ? o : t
        case (let t?, nil):
            published = t
        case (nil, let o?):
            published = o
        case (nil, nil):
            return nil
        }
        return max(0, now.timeIntervalSince(published))
    }
}
