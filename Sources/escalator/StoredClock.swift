import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// One row of `sla_clocks`: an ``SLAClock`` with what the escalator keeps around it (cycle,
/// calendar, ladder progress, warning, the ticket's level and tier for policy changes).
struct StoredClock {
    var ticketId: Int64
    var cycle: Int
    var clock: SLAClock
    var calendarId: String
    var department: String?
    var level: Level?
    var tier: CustomerTier?
    /// Ladder steps already fired in this cycle.
    var stepsFired: Int
    var warnedAt: Date?
    var breachedAt: Date?
    /// The last `ticket_actions` row applied to this ticket's clocks.
    var lastActionId: Int64
    var policyHash: String
    /// Whether the row needs writing back.
    var changed = false

    var metric: SLAMetric { clock.metric }

    /// The columns ``init(row:)`` reads, in order, for `sla_clocks` aliased as `c`.
    static let columns = """
        c.ticket_id, c.metric, c.cycle, c.target_seconds, c.started_at, c.state, c.used_seconds, c.running_since, c.stopped_at, \
        c.changed_at, c.calendar_id, c.department, c.level, c.customer_tier, c.escalation_step, c.warned_at, c.breached_at, \
        c.last_action_id, coalesce(c.policy_hash, '')
        """
    static let columnCount = 19

    init(
        ticketId: Int64, cycle: Int, clock: SLAClock, calendarId: String, department: String?, level: Level?, tier: CustomerTier?,
        policyHash: String
    ) {
        self.ticketId = ticketId
        self.cycle = cycle
        self.clock = clock
        self.calendarId = calendarId
        self.department = department
        self.level = level
        self.tier = tier
        self.stepsFired = 0
        self.warnedAt = nil
        self.breachedAt = nil
        self.lastActionId = 0
        self.policyHash = policyHash
        self.changed = true
    }

    init(row: PostgresRow) throws {
        let metricName = try row.decode(String.self, at: 1)
        guard let metric = SLAMetric(rawValue: metricName) else { throw PermanentMessageError("unknown SLA metric \(metricName) in sla_clocks") }
        let stateName = try row.decode(String.self, at: 5)
        guard let state = SLAClock.State(rawValue: stateName) else { throw PermanentMessageError("unknown clock state \(stateName) in sla_clocks") }
        let started = try row.decode(Date.self, at: 4)
        ticketId = try row.decode(Int64.self, at: 0)
        cycle = try row.decode(Int.self, at: 2)
        clock = SLAClock(
            metric: metric, targetSeconds: try row.decode(Double.self, at: 3), startedAt: started, state: state,
            usedSeconds: try row.decode(Double.self, at: 6), runningSince: try row.decode(Date?.self, at: 7),
            stoppedAt: try row.decode(Date?.self, at: 8), changedAt: try row.decode(Date?.self, at: 9) ?? started)
        calendarId = try row.decode(String.self, at: 10)
        department = try row.decode(String?.self, at: 11)
        level = try row.decode(Int?.self, at: 12).flatMap(Level.init(rawValue:))
        tier = try row.decode(String?.self, at: 13).flatMap(CustomerTier.init(rawValue:))
        stepsFired = try row.decode(Int.self, at: 14)
        warnedAt = try row.decode(Date?.self, at: 15)
        breachedAt = try row.decode(Date?.self, at: 16)
        lastActionId = try row.decode(Int64.self, at: 17)
        policyHash = try row.decode(String.self, at: 18)
    }

    func schedule(_ sla: SLAConfiguration) -> SLAClockSchedule {
        SLAClockSchedule(
            clock: clock, calendar: sla.calendar(calendarId), ladder: sla.ladder(for: department), warningShare: sla.warningShare,
            warned: warnedAt != nil, stepsFired: stepsFired)
    }

    /// Records a breach noticed at `now` (the due time is when it happened).
    mutating func noteBreach(at now: Date, on calendar: BusinessCalendar) {
        let due = clock.dueAt(on: calendar)
        if clock.checkBreach(at: now, on: calendar), breachedAt == nil {
            breachedAt = due ?? now
        }
        changed = true
    }
}

/// Reads and writes ``StoredClock``s in bulk (one statement per batch, whatever its size).
enum ClockTable {
    /// Inserts new clocks and updates changed ones, with their schedules.
    static func save(_ clocks: [StoredClock], _ sla: SLAConfiguration, in db: PostgresConnection) throws {
        let rows = clocks.filter(\.changed)
        guard !rows.isEmpty else { return }
        func time(_ d: Date?) -> String { d.map(FeedloopJSON.formatTimestamp) ?? "" }
        var columns = Array(repeating: [String](), count: 23)
        for c in rows {
            let s = c.schedule(sla)
            let values: [String] = [
                String(c.ticketId), c.metric.rawValue, String(c.cycle), String(c.clock.targetSeconds), time(c.clock.startedAt),
                c.clock.state.rawValue, String(c.clock.usedSeconds), time(c.clock.runningSince), time(c.clock.stoppedAt),
                time(c.clock.changedAt), c.calendarId, c.department ?? "", c.level.map { String($0.rawValue) } ?? "",
                c.tier?.rawValue ?? "", String(c.stepsFired), time(c.warnedAt), time(c.breachedAt), String(c.lastActionId), c.policyHash,
                time(s.dueAt), time(s.warnAt), time(s.nextFireAt), time(s.nextStepAt),
            ]
            for (i, v) in values.enumerated() { columns[i].append(v) }
        }
        try db.query(
            """
            INSERT INTO sla_clocks AS c (ticket_id, metric, cycle, target_seconds, started_at, state, used_seconds, running_since, stopped_at,
                changed_at, calendar_id, department, level, customer_tier, escalation_step, warned_at, breached_at, last_action_id,
                policy_hash, due_at, warn_at, next_fire_at, next_escalation_at)
            SELECT u.t::int8, u.m, u.cy::int, u.tg::float8, u.st::timestamptz, u.s, u.us::float8, nullif(u.rs, '')::timestamptz,
                nullif(u.sp, '')::timestamptz, u.ch::timestamptz, u.cal, nullif(u.d, ''), nullif(u.l, '')::int2, nullif(u.ti, ''),
                u.es::int, nullif(u.w, '')::timestamptz, nullif(u.b, '')::timestamptz, u.la::int8, u.ph, nullif(u.due, '')::timestamptz,
                nullif(u.wa, '')::timestamptz, nullif(u.nf, '')::timestamptz, nullif(u.ns, '')::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
                $19::text[], $20::text[], $21::text[], $22::text[], $23::text[])
                AS u(t, m, cy, tg, st, s, us, rs, sp, ch, cal, d, l, ti, es, w, b, la, ph, due, wa, nf, ns)
            ON CONFLICT (ticket_id, metric, cycle) DO UPDATE SET
                target_seconds = excluded.target_seconds, state = excluded.state, used_seconds = excluded.used_seconds,
                running_since = excluded.running_since, stopped_at = excluded.stopped_at, changed_at = excluded.changed_at,
                calendar_id = excluded.calendar_id, escalation_step = excluded.escalation_step, warned_at = excluded.warned_at,
                breached_at = excluded.breached_at, last_action_id = excluded.last_action_id, policy_hash = excluded.policy_hash,
                due_at = excluded.due_at, warn_at = excluded.warn_at, next_fire_at = excluded.next_fire_at,
                next_escalation_at = excluded.next_escalation_at
            """,
            columns.map { .textArray($0) }
        )
    }
}
