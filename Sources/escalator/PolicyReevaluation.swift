import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// When the escalator starts with policies whose hash differs from the last recorded one,
/// gives every open clock the new target and calendar of its ticket's policy (batched, in key
/// order) and records the change. Replicas starting together take turns on an advisory lock;
/// the second finds the change recorded and does nothing. A run cut short is finished by the
/// next start, because each clock carries the hash it was last evaluated under.
struct PolicyReevaluation {
    let sla: SLAConfiguration
    let logger: Logger
    var batchSize = 1000
    /// Arbitrary, fixed: the advisory lock that serializes re-evaluations.
    static let lockKey: Int64 = 0x5_1A_C1_0C

    func run(_ db: PostgresConnection) throws {
        let hash = sla.policyHash
        try db.query("SELECT pg_advisory_lock($1)", [.int(Self.lockKey)])
        defer { _ = try? db.query("SELECT pg_advisory_unlock($1)", [.int(Self.lockKey)]) }
        let last = try db.query("SELECT new_hash FROM sla_policy_changes ORDER BY id DESC LIMIT 1").first.map { try $0.decode(String.self, at: 0) }
        guard last != hash else { return }
        var total = 0
        var after: (Int64, String, Int) = (0, "", 0)
        while true {
            let (count, lastKey) = try db.transaction { tx in try reevaluateBatch(after: after, hash: hash, in: tx) }
            total += count
            guard let lastKey else { break }
            after = lastKey
        }
        let me = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        try db.query(
            "INSERT INTO sla_policy_changes (old_hash, new_hash, clocks_reevaluated, policies, changed_by) VALUES ($1, $2, $3, $4, $5)",
            [last.map(PostgresBind.text) ?? .null, .text(hash), .int(Int64(total)), .text(sla.fingerprint), .text(me)])
        logger.notice(
            "SLA policies changed; open clocks re-evaluated",
            metadata: ["old_hash": "\(last ?? "none")", "new_hash": "\(hash)", "clocks": "\(total)"])
    }

    /// One batch of open clocks after `after` in key order: new targets and calendars, new due,
    /// warning and step times. Returns how many changed and the last key seen (nil at the end).
    private func reevaluateBatch(after: (Int64, String, Int), hash: String, in tx: PostgresConnection) throws -> (Int, (Int64, String, Int)?) {
        let rows = try tx.query(
            """
            SELECT \(StoredClock.columns) FROM sla_clocks c
            WHERE c.stopped_at IS NULL AND (c.ticket_id, c.metric, c.cycle) > ($1, $2, $3)
            ORDER BY c.ticket_id, c.metric, c.cycle LIMIT $4 FOR UPDATE
            """,
            [.int(after.0), .text(after.1), .int(Int64(after.2)), .int(Int64(batchSize))])
        guard !rows.isEmpty else { return (0, nil) }
        let now = Date()
        var clocks: [StoredClock] = []
        for row in rows {
            var clock = try StoredClock(row: row)
            guard clock.policyHash != hash else { continue }
            Self.reevaluate(&clock, sla: sla, hash: hash, at: now)
            clocks.append(clock)
        }
        try ClockTable.save(clocks, sla, in: tx)
        let last = try StoredClock(row: rows[rows.count - 1])
        return (clocks.count, (last.ticketId, last.metric.rawValue, last.cycle))
    }

    /// The clock under the policy now in force for its ticket: the working time it used so far
    /// is kept (measured on the calendar it ran on), the target and calendar are the new ones.
    /// A metric the new policy has no target for keeps its old one.
    static func reevaluate(_ clock: inout StoredClock, sla: SLAConfiguration, hash: String, at now: Date) {
        defer {
            clock.policyHash = hash
            clock.changed = true
        }
        guard let level = clock.level, let policy = sla.policy(level: level, tier: clock.tier),
            let target = policy.targets[clock.metric]
        else { return }
        if policy.calendar != clock.calendarId, clock.clock.runningSince != nil {
            // Bank the time used on the old calendar, then run on the new one from now.
            let old = sla.calendar(clock.calendarId)
            let wasBreached = clock.clock.state == .breached
            try? clock.clock.pause(at: max(now, clock.clock.changedAt), on: old)
            try? clock.clock.resume(at: max(now, clock.clock.changedAt), on: sla.calendar(policy.calendar))
            if wasBreached { clock.noteBreach(at: now, on: sla.calendar(policy.calendar)) }
        }
        clock.calendarId = policy.calendar
        try? clock.clock.retarget(target, at: max(now, clock.clock.changedAt), on: sla.calendar(policy.calendar))
    }
}
