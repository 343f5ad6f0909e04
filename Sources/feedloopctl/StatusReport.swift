import AMQP
import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// A snapshot of the installation's health: queues on the broker (with rates from two samples),
/// dead letters, tickets, stuck tickets, outbox, notifications, overdue clocks and today's SLA
/// breaches in the database. Each side is gathered on its own, so an unreachable broker still
/// leaves the database part (and the reason in ``errors``).
struct StatusReport: Encodable {
    /// One of a role's queues as the broker sees it.
    struct QueueStatus: Encodable {
        var role: String
        var queue: String
        /// `main`, `retry` or `dead`.
        var kind: String
        var declared: Bool
        /// Messages ready for delivery. Unacknowledged ones (held by consumers) are not in it:
        /// AMQP reports only ready messages and consumers, and the management plugin is not assumed.
        var ready: UInt32?
        var consumers: UInt32?
        /// Change of `ready` per second between the two samples.
        var readyChangePerSecond: Double?
        /// Main queues: messages the role's workers handled per second over the sample window
        /// (their inbox rows; duplicates and failures are not counted).
        var handledPerSecond: Double?
        /// Main queues: messages arriving per second, estimated as handled + ready change.
        var publishedPerSecond: Double?
    }

    struct OutboxStatus: Encodable {
        var count: Int64
        var oldestAgeSeconds: Double?
    }

    struct OverdueClocks: Encodable {
        var total: Int64
        var byMetric: [String: Int64]
    }

    struct DeadLetters: Encodable {
        /// Messages in each role's `.dead` queue (nil when the broker could not be read).
        var byRole: [String: UInt32]?
        /// Notification rows the notifier gave up on (status `dead`).
        var deadNotifications: Int64?
    }

    struct StuckSummary: Encodable {
        var total: Int
        var byState: [String: Int]
        var byStep: [String: Int]
        var thresholds: StuckThresholds
    }

    struct SLABreachesToday: Encodable {
        /// Start of the day counted (UTC midnight).
        var since: Date
        /// Clocks that breached since then, per metric.
        var breachedClocks: [String: Int64]
        var escalations: Int64
    }

    var generatedAt = Date()
    /// Seconds between the two queue samples the rates come from (0: no rates).
    var sampleSeconds: Double = 0
    var queues: [QueueStatus]?
    var deadLetters = DeadLetters()
    var ticketsByState: [String: Int64]?
    var stuck: StuckSummary?
    var outbox: OutboxStatus?
    var notificationsByStatus: [String: Int64]?
    var overdueSlaClocks: OverdueClocks?
    var slaBreachesToday: SLABreachesToday?
    var errors: [String] = []

    /// Gathers what it can; failures end up in ``errors``. With `interval` > 0 the queues are
    /// sampled twice that far apart for the rates; `previous` (a watch's last report) stands in
    /// for the first sample.
    static func gather(_ session: CtlSession, thresholds: StuckThresholds, interval: Double, previous: StatusReport? = nil) -> StatusReport {
        var report = StatusReport()
        var first: (at: Date, queues: [QueueStatus])?
        if let previous, let queues = previous.queues { first = (previous.generatedAt, queues) }
        do {
            let broker = try session.openBroker()
            defer { broker.close() }
            if first == nil, interval > 0 {
                first = (Date(), try queues(on: broker))
                Thread.sleep(forTimeInterval: interval)
            }
            report.generatedAt = Date()
            report.queues = try queues(on: broker)
        } catch {
            report.errors.append("\(error)")
        }
        if let queues = report.queues {
            report.deadLetters.byRole = Dictionary(uniqueKeysWithValues: queues.filter { $0.kind == "dead" }.map { ($0.role, $0.ready ?? 0) })
        }
        do {
            let db = try session.openDatabase()
            defer { db.close() }
            try report.readDatabase(db, thresholds: thresholds)
            if let first, report.queues != nil {
                try report.computeRates(since: first, db: db)
            }
        } catch {
            report.errors.append("\(error)")
        }
        return report
    }

    static func queues(on broker: AMQPConnection) throws -> [QueueStatus] {
        var result: [QueueStatus] = []
        for role in WorkerRole.allCases {
            for (kind, name) in [("main", role.queue), ("retry", role.retryQueue), ("dead", role.deadQueue)] {
                do {
                    let info = try broker.inspectQueue(name)
                    result.append(
                        QueueStatus(role: role.rawValue, queue: name, kind: kind, declared: true, ready: info.messageCount, consumers: info.consumerCount))
                } catch let error as AMQPError where error.code == .notFound {
                    result.append(QueueStatus(role: role.rawValue, queue: name, kind: kind, declared: false))
                }
            }
        }
        return result
    }

    /// Rates between the first sample and this report's: ready change for every queue, and for
    /// main queues the handled rate from the inbox over the same window.
    mutating func computeRates(since first: (at: Date, queues: [QueueStatus]), db: PostgresConnection) throws {
        let seconds = generatedAt.timeIntervalSince(first.at)
        guard seconds > 0, var queues else { return }
        sampleSeconds = seconds
        let before = Dictionary(uniqueKeysWithValues: first.queues.map { ($0.queue, $0.ready) })
        var handled: [String: Int64] = [:]
        for row in try db.query(
            "SELECT consumer, count(*) FROM inbox WHERE processed_at > now() - make_interval(secs => $1::float8) GROUP BY consumer", [.double(seconds)])
        {
            handled[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        for i in queues.indices {
            guard let now = queues[i].ready, let then = before[queues[i].queue] ?? nil else { continue }
            let change = (Double(now) - Double(then)) / seconds
            queues[i].readyChangePerSecond = change
            if queues[i].kind == "main" {
                let rate = Double(handled[queues[i].role] ?? 0) / seconds
                queues[i].handledPerSecond = rate
                queues[i].publishedPerSecond = max(0, rate + change)
            }
        }
        self.queues = queues
    }

    mutating func readDatabase(_ db: PostgresConnection, thresholds: StuckThresholds) throws {
        ticketsByState = try counts("SELECT state, count(*) FROM tickets GROUP BY state", db)
        let outboxRow = try db.query("SELECT count(*), extract(epoch FROM now() - min(created_at))::float8 FROM outbox")[0]
        outbox = OutboxStatus(count: try outboxRow.decode(Int64.self, at: 0), oldestAgeSeconds: try outboxRow.decode(Double?.self, at: 1))
        notificationsByStatus = try counts("SELECT status, count(*) FROM notifications GROUP BY status", db)
        deadLetters.deadNotifications = notificationsByStatus?["dead"] ?? 0
        // Running and breached clocks are the ones still open; any later state (met, stopped) is done.
        let overdue = try counts(
            "SELECT metric, count(*) FROM sla_clocks WHERE state IN ('running', 'breached') AND due_at <= now() GROUP BY metric", db
        )
        overdueSlaClocks = OverdueClocks(total: overdue.values.reduce(0, +), byMetric: overdue)
        let stuckTickets = try StuckTicketQuery(thresholds: thresholds).run(on: db)
        stuck = StuckSummary(
            total: Set(stuckTickets.map(\.ticketId)).count,
            byState: Dictionary(grouping: Set(stuckTickets.map { "\($0.ticketId) \($0.state)" }), by: { String($0.split(separator: " ")[1]) })
                .mapValues(\.count),
            byStep: Dictionary(grouping: stuckTickets, by: \.waitingFor.rawValue).mapValues(\.count), thresholds: thresholds
        )
        let midnight = try db.query("SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")[0].decode(Date.self, at: 0)
        let breached = try counts(
            "SELECT metric, count(*) FROM sla_clocks WHERE breached_at >= $1::timestamptz GROUP BY metric", db, [.text(FeedloopJSON.formatTimestamp(midnight))])
        let escalations = try db.query(
            "SELECT count(*) FROM escalations WHERE escalated_at >= $1::timestamptz", [.text(FeedloopJSON.formatTimestamp(midnight))])[0]
            .decode(Int64.self, at: 0)
        slaBreachesToday = SLABreachesToday(since: midnight, breachedClocks: breached, escalations: escalations)
    }

    private func counts(_ sql: String, _ db: PostgresConnection, _ parameters: [PostgresBind] = []) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try db.query(sql, parameters) {
            result[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        return result
    }
}
