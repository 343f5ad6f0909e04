import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// Claims clocks whose warning or next ladder step is due and fires them, exactly once.
///
/// Clocks are claimed oldest first from the `sla_clocks_next_fire` index with
/// `FOR UPDATE SKIP LOCKED`, so any number of replicas share the work without waiting on each
/// other; the warning mark, the ladder step, the `escalations` row and the events commit in one
/// transaction, so a replica killed mid-batch leaves its claims to the others.
struct DueClockScanner {
    let sla: SLAConfiguration
    /// Most clocks claimed per transaction.
    var claimLimit = 500

    /// Fires everything due now, a batch per transaction, until a batch comes back short.
    func scan(_ context: WorkerContext) throws {
        while true {
            let claimed = try context.commitAndPublish { tx in try fireDue(tx) }
            if claimed < claimLimit { return }
        }
    }

    struct EscalationRow {
        var ticketId: Int64
        var metric: SLAMetric
        var cycle: Int
        var step: Int
        var notify: String
        var dueAt: Date
        var department: String?
        var assignee: String?
        var reason: String
    }

    private func fireDue(_ tx: PostgresConnection) throws -> [OutgoingMessage] {
        let rows = try tx.query(
            """
            SELECT \(StoredClock.columns), t.assignee FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
            WHERE c.next_fire_at <= now() ORDER BY c.next_fire_at LIMIT $1 FOR UPDATE OF c SKIP LOCKED
            """,
            [.int(Int64(claimLimit))])
        guard !rows.isEmpty else { return [] }
        let now = Date()
        var clocks: [StoredClock] = []
        var escalations: [EscalationRow] = []
        var events: [OutgoingMessage] = []
        for row in rows {
            var clock = try StoredClock(row: row)
            let assignee = try row.decode(String?.self, at: StoredClock.columnCount)
            events += try fire(&clock, assignee: assignee, now: now, escalations: &escalations)
            clock.changed = true
            clocks.append(clock)
        }
        try record(escalations, in: tx)
        try ClockTable.save(clocks, sla, in: tx)
        return events
    }

    /// The warning if it is due (skipped for a clock already overdue: its escalation says more),
    /// then every ladder step whose time came, in order.
    func fire(_ clock: inout StoredClock, assignee: String?, now: Date, escalations: inout [EscalationRow]) throws -> [OutgoingMessage] {
        var events: [OutgoingMessage] = []
        let calendar = sla.calendar(clock.calendarId)
        let ladder = sla.ladder(for: clock.department)
        var schedule = clock.schedule(sla)
        guard let due = schedule.dueAt else { return [] }
        if let warnAt = schedule.warnAt, warnAt <= now {
            clock.warnedAt = now
            EscalatorMetrics.fired(dueSince: warnAt, now: now)
            if due > now {
                let warning = TicketSLAWarning(
                    ticketId: clock.ticketId, metric: clock.metric, cycle: clock.cycle, share: sla.warningShare, dueAt: due,
                    department: clock.department, assignee: assignee, warnedAt: now)
                events.append(try .event(warning, at: now))
            }
        }
        while let stepAt = schedule.nextStepAt, stepAt <= now, let step = ladder.step(schedule.nextStep) {
            clock.noteBreach(at: max(now, due), on: calendar)
            clock.stepsFired = schedule.nextStep
            let reason = Self.reason(clock, step: schedule.nextStep, of: ladder, due: due)
            escalations.append(
                EscalationRow(
                    ticketId: clock.ticketId, metric: clock.metric, cycle: clock.cycle, step: schedule.nextStep, notify: step.notify, dueAt: due,
                    department: clock.department, assignee: assignee, reason: reason))
            let event = TicketEscalated(
                ticketId: clock.ticketId, metric: clock.metric, step: schedule.nextStep, notify: step.notify, department: clock.department,
                dueAt: due, escalatedAt: now, cycle: clock.cycle, assignee: assignee, reason: reason)
            events.append(try .event(event, at: now))
            EscalatorMetrics.escalated(step: schedule.nextStep, dueSince: stepAt, now: now)
            schedule = clock.schedule(sla)
        }
        return events
    }

    /// Why a step fired, for the record and the message: the metric, how late, and the rule.
    static func reason(_ clock: StoredClock, step: Int, of ladder: EscalationLadder, due: Date) -> String {
        let metric = clock.metric.rawValue.replacingOccurrences(of: "_", with: " ")
        let target = SLADurationText.format(clock.clock.targetSeconds)
        let cycle = clock.cycle > 1 ? " (cycle \(clock.cycle))" : ""
        let rule = step == 1 ? "due" : "\(ladder.steps[step - 1].afterDue) after due"
        return "\(metric)\(cycle) not met within \(target) on calendar \(clock.calendarId), due \(FeedloopJSON.formatTimestamp(due)); "
            + "step \(step) of \(ladder.steps.count) fires at \(rule)"
    }

    private func record(_ rows: [EscalationRow], in tx: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        try tx.query(
            """
            INSERT INTO escalations (ticket_id, metric, cycle, step, notify, due_at, department, assignee, reason, escalated_at)
            SELECT u.t, u.m, u.c::int, u.s::int, u.n, u.d, nullif(u.dep, ''), nullif(u.a, ''), u.r, now()
            FROM unnest($1::int8[], $2::text[], $3::int8[], $4::int8[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[])
                AS u(t, m, c, s, n, d, dep, a, r)
            ON CONFLICT DO NOTHING
            """,
            [
                .intArray(rows.map(\.ticketId)), .textArray(rows.map(\.metric.rawValue)), .intArray(rows.map { Int64($0.cycle) }),
                .intArray(rows.map { Int64($0.step) }), .textArray(rows.map(\.notify)),
                .textArray(rows.map { FeedloopJSON.formatTimestamp($0.dueAt) }), .textArray(rows.map { $0.department ?? "" }),
                .textArray(rows.map { $0.assignee ?? "" }), .textArray(rows.map(\.reason)),
            ])
    }
}
