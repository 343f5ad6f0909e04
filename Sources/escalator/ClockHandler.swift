import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// Starts a ticket's SLA clocks when it is classified, and escalates clocks that passed their
/// due time, one ladder step at a time.
final class ClockHandler: MessageHandler {
    let ladder: EscalationLadder
    /// Multiplies every target; 1 in production, smaller in drills and tests (FEEDLOOP_SLA_TARGET_SCALE).
    let targetScale: Double
    let tickInterval: Duration?
    /// Most clocks claimed per transaction.
    let claimLimit = 500

    init(ladder: EscalationLadder = .default, targetScale: Double, scanInterval: Duration) {
        self.ladder = ladder
        self.targetScale = targetScale
        self.tickInterval = scanInterval
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var tickets: [Int64] = [], metrics: [String] = [], starts: [String] = [], targets: [Int64] = [], departments: [String] = []
        for m in messages {
            let event = try m.decode(TicketClassified.self).data
            let sla = SLATargets.default(for: event.level, tier: event.customerTier)
            // First response and resolution run from creation (ARCHITECTURE §8).
            for metric in SLAMetric.allCases {
                guard let target = sla.duration(for: metric) else { continue }
                tickets.append(event.ticketId)
                metrics.append(metric.rawValue)
                starts.append(FeedloopJSON.formatTimestamp(event.receivedAt))
                targets.append(Int64((target.seconds * targetScale).rounded(.up)))
                departments.append(event.department)
            }
        }
        try db.query(
            """
            INSERT INTO sla_clocks (ticket_id, metric, started_at, target_seconds, due_at, department, next_escalation_at)
            SELECT u.id, u.metric, u.started, u.target, u.started + make_interval(secs => u.target), u.department,
                   u.started + make_interval(secs => u.target)
            FROM unnest($1::int8[], $2::text[], $3::timestamptz[], $4::int8[], $5::text[]) AS u(id, metric, started, target, department)
            ON CONFLICT (ticket_id, metric) DO NOTHING
            """,
            [.intArray(tickets), .textArray(metrics), .textArray(starts), .intArray(targets), .textArray(departments)]
        )
        return []
    }

    /// Claims due clocks with `FOR UPDATE SKIP LOCKED`, so that replicas share the work and no
    /// clock step fires twice; each step is also keyed in `escalations`.
    func tick(_ context: WorkerContext) throws {
        while true {
            let claimed = try context.commitAndPublish { tx in try escalateDue(tx) }
            if claimed < claimLimit { return }
        }
    }

    private func escalateDue(_ tx: PostgresConnection) throws -> [OutgoingMessage] {
        let rows = try tx.query(
            """
            SELECT ticket_id, metric, due_at, target_seconds, escalation_step, department FROM sla_clocks
            WHERE next_escalation_at <= now() ORDER BY next_escalation_at LIMIT $1 FOR UPDATE SKIP LOCKED
            """,
            [.int(Int64(claimLimit))]
        )
        guard !rows.isEmpty else { return [] }
        let now = Date()
        var events: [OutgoingMessage] = []
        var ids: [Int64] = [], metrics: [String] = [], steps: [Int64] = [], notifies: [String] = [], dues: [String] = [], nexts: [String?] = []
        for row in rows {
            let ticket = try row.decode(Int64.self, at: 0)
            let metricName = try row.decode(String.self, at: 1)
            let due = try row.decode(Date.self, at: 2)
            let target = Double(try row.decode(Int64.self, at: 3))
            let number = try row.decode(Int.self, at: 4) + 1
            let department = try row.decode(String?.self, at: 5)
            guard let metric = SLAMetric(rawValue: metricName), let step = ladder.step(number) else { continue }
            let next = ladder.offset(ofStep: number + 1, targetSeconds: target).map { due.addingTimeInterval($0) }
            ids.append(ticket)
            metrics.append(metricName)
            steps.append(Int64(number))
            notifies.append(step.notify)
            dues.append(FeedloopJSON.formatTimestamp(due))
            nexts.append(next.map(FeedloopJSON.formatTimestamp))
            events.append(
                try .event(
                    TicketEscalated(ticketId: ticket, metric: metric, step: number, notify: step.notify, department: department, dueAt: due, escalatedAt: now),
                    at: now
                )
            )
        }
        try tx.query(
            """
            INSERT INTO escalations (ticket_id, metric, step, notify, due_at, escalated_at)
            SELECT * , now() FROM unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::timestamptz[])
            ON CONFLICT DO NOTHING
            """,
            [.intArray(ids), .textArray(metrics), .intArray(steps), .textArray(notifies), .textArray(dues)]
        )
        try tx.query(
            """
            UPDATE sla_clocks c SET state = 'breached', escalation_step = u.step, next_escalation_at = nullif(u.next, '')::timestamptz
            FROM unnest($1::int8[], $2::text[], $3::int8[], $4::text[]) AS u(id, metric, step, next)
            WHERE c.ticket_id = u.id AND c.metric = u.metric
            """,
            [.intArray(ids), .textArray(metrics), .intArray(steps), .textArray(nexts.map { $0 ?? "" })]
        )
        return events
    }
}
