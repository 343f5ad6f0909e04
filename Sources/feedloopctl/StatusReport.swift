import AMQP
import FeedloopRuntime
import Foundation
import Postgres

/// A snapshot of the installation's health: queues on the broker, tickets, outbox,
/// notifications and overdue clocks in the database. Each side is gathered on its own, so
/// an unreachable broker still leaves the database part (and the reason in ``errors``).
struct StatusReport: Encodable {
    /// One of a role's queues as the broker sees it.
    struct QueueStatus: Encodable {
        var role: String
        var queue: String
        /// `main`, `retry` or `dead`.
        var kind: String
        var declared: Bool
        /// Messages ready for delivery (unacknowledged ones are not counted by the broker).
        var ready: UInt32?
        var consumers: UInt32?
    }

    struct OutboxStatus: Encodable {
        var count: Int64
        var oldestAgeSeconds: Double?
    }

    struct OverdueClocks: Encodable {
        var total: Int64
        var byMetric: [String: Int64]
    }

    var generatedAt = Date()
    var queues: [QueueStatus]?
    var ticketsByState: [String: Int64]?
    var outbox: OutboxStatus?
    var notificationsByStatus: [String: Int64]?
    var overdueSlaClocks: OverdueClocks?
    var errors: [String] = []

    /// Gathers what it can; failures end up in ``errors``.
    static func gather(_ session: CtlSession) -> StatusReport {
        var report = StatusReport()
        do {
            let broker = try session.openBroker()
            defer { broker.close() }
            report.queues = try queues(on: broker)
        } catch {
            report.errors.append("\(error)")
        }
        do {
            let db = try session.openDatabase()
            defer { db.close() }
            try report.readDatabase(db)
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

    mutating func readDatabase(_ db: PostgresConnection) throws {
        ticketsByState = try counts("SELECT state, count(*) FROM tickets GROUP BY state", db)
        let outboxRow = try db.query("SELECT count(*), extract(epoch FROM now() - min(created_at))::float8 FROM outbox")[0]
        outbox = OutboxStatus(count: try outboxRow.decode(Int64.self, at: 0), oldestAgeSeconds: try outboxRow.decode(Double?.self, at: 1))
        notificationsByStatus = try counts("SELECT status, count(*) FROM notifications GROUP BY status", db)
        // Running and breached clocks are the ones still open; any later state (met, stopped) is done.
        let overdue = try counts(
            "SELECT metric, count(*) FROM sla_clocks WHERE state IN ('running', 'breached') AND due_at <= now() GROUP BY metric", db
        )
        overdueSlaClocks = OverdueClocks(total: overdue.values.reduce(0, +), byMetric: overdue)
    }

    private func counts(_ sql: String, _ db: PostgresConnection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try db.query(sql) {
            result[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        return result
    }
}
