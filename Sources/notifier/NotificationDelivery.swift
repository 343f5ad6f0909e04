import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Claims due notification rows and delivers them over their channels. Rows are claimed with
/// `FOR UPDATE SKIP LOCKED` inside the transaction that records their outcome, so replicas
/// never deliver the same row at the same time, and a notifier killed between sending and
/// recording leaves its rows pending to be sent again (at least once: the email Message-ID and
/// the webhook's `X-Feedloop-Delivery` let receivers recognise a repeat).
///
/// Before sending, customer rows inside quiet hours and rows over their address's rate limit
/// are held (next_attempt_at moves, held_reason says why); after sending, every attempt is
/// recorded, transient failures wait for their retry delay and the rest is sent or dead. Each
/// pass returns the wake messages that bring held and failed rows back when they are due.
final class NotificationDelivery {
    let transports: [DeliveryChannelKind: any NotificationTransport]
    let retry: RetryPolicy
    let quietHours: QuietHours?
    /// Most messages per address and channel in any minute; nil for no limit.
    let ratePerMinute: Int?
    let logger: Logger
    /// Most rows claimed per transaction.
    let claimLimit: Int
    /// How long one pass may keep claiming batches: the delivery thread also services its
    /// broker connection's heartbeats, so a large backlog is worked off across passes.
    let timeBudget: Duration

    init(
        transports: [DeliveryChannelKind: any NotificationTransport], retry: RetryPolicy, quietHours: QuietHours?, ratePerMinute: Int?,
        logger: Logger, claimLimit: Int = 200, timeBudget: Duration = .seconds(5)
    ) {
        self.transports = transports
        self.retry = retry
        self.quietHours = quietHours
        self.ratePerMinute = ratePerMinute
        self.logger = logger
        self.claimLimit = claimLimit
        self.timeBudget = timeBudget
    }

    /// What one pass did, and the wakes to publish once it is committed.
    struct Pass {
        var attempted = 0
        var held = 0
        var wakes: [OutgoingMessage] = []
        /// The last batch was full: more rows are probably due.
        var more = false
    }

    /// Delivers due rows until none is left or the time budget is used.
    func deliverDue(db: PostgresConnection) throws -> Pass {
        let end = ContinuousClock.now + timeBudget
        var total = Pass()
        while true {
            let (claimed, pass) = try db.transaction { tx in try deliverOneBatch(tx) }
            total.attempted += pass.attempted
            total.held += pass.held
            total.wakes += pass.wakes
            total.more = claimed == claimLimit
            if claimed < claimLimit || ContinuousClock.now >= end { return total }
        }
    }

    private func deliverOneBatch(_ tx: PostgresConnection) throws -> (Int, Pass) {
        let rows = try tx.query(
            """
            SELECT \(PendingNotification.columns) FROM notifications
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
            """,
            [.int(Int64(claimLimit))]
        ).map(PendingNotification.init(row:))
        guard !rows.isEmpty else { return (0, Pass()) }
        var pass = Pass()
        var holds: [Hold] = []
        var sendable = rows
        let now = Date()
        if let quietHours, let until = quietHours.holdUntil(now) {
            // Customers are not messaged at night; staff are.
            holds += sendable.filter { $0.audience == "customer" }.map { Hold(row: $0, seconds: until.timeIntervalSince(now), reason: "quiet_hours") }
            sendable.removeAll { $0.audience == "customer" }
        }
        if let ratePerMinute, !sendable.isEmpty {
            let (allowed, limited) = try applyRateLimit(ratePerMinute, to: sendable, in: tx)
            sendable = allowed
            holds += limited
        }
        if !holds.isEmpty {
            pass.held = holds.count
            pass.wakes += try hold(holds, in: tx)
        }
        if !sendable.isEmpty {
            let outcomes = deliver(sendable)
            pass.wakes += try record(sendable, outcomes: outcomes, in: tx)
            pass.attempted = sendable.count
        }
        return (rows.count, pass)
    }

    private func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        var outcomes: [Int64: DeliveryOutcome] = [:]
        var byChannel: [DeliveryChannelKind: [PendingNotification]] = [:]
        for row in rows {
            if let kind = DeliveryChannelKind(rawValue: row.channel) {
                byChannel[kind, default: []].append(row)
            } else {
                outcomes[row.id] = .permanent("unknown channel \(row.channel)")
            }
        }
        for (kind, rows) in byChannel {
            guard let transport = transports[kind] else {
                for row in rows { outcomes[row.id] = .transient("the \(kind.rawValue) channel is not configured") }
                continue
            }
            outcomes.merge(transport.deliver(rows)) { _, new in new }
        }
        return outcomes
    }

    // MARK: Holds

    struct Hold {
        var row: PendingNotification
        var seconds: Double
        var reason: String
    }

    /// Rows to an address that already had `limit` messages in the last minute (counting those
    /// sent earlier in this batch) wait until the oldest of those is a minute old. Replicas
    /// take a transaction lock per address first, so together they keep the limit too.
    private func applyRateLimit(_ limit: Int, to rows: [PendingNotification], in tx: PostgresConnection) throws -> ([PendingNotification], [Hold]) {
        let limited = rows.filter { $0.address != nil && $0.channel != DeliveryChannelKind.log.rawValue }
        guard !limited.isEmpty else { return (rows, []) }
        let keys = Set(limited.map { Key(channel: $0.channel, address: $0.address!) }).sorted { ($0.channel, $0.address) < ($1.channel, $1.address) }
        _ = try tx.query(
            "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 7))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS ordered",
            [.textArray(keys.map { "\($0.channel)\u{1F}\($0.address)" }.sorted())]
        )
        var recent: [Key: (count: Int, freesIn: Double)] = [:]
        for row in try tx.query(
            """
            SELECT channel, address, count(*), extract(epoch FROM min(sent_at) + interval '1 minute' - clock_timestamp())::float8
            FROM notifications
            WHERE status = 'sent' AND address IS NOT NULL AND sent_at > clock_timestamp() - interval '1 minute'
              AND (channel, address) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            GROUP BY channel, address
            """,
            [.textArray(keys.map(\.channel)), .textArray(keys.map(\.address))]
        ) {
            recent[Key(channel: try row.decode(String.self, at: 0), address: try row.decode(String.self, at: 1))] = (
                try row.decode(Int.self, at: 2), try row.decode(Double.self, at: 3)
            )
        }
        var allowed: [PendingNotification] = []
        var holds: [Hold] = []
        var used: [Key: Int] = [:]
        for row in rows {
            guard let address = row.address, row.channel != DeliveryChannelKind.log.rawValue else {
                allowed.append(row)
                continue
            }
            let key = Key(channel: row.channel, address: address)
            let before = recent[key]?.count ?? 0
            if before + used[key, default: 0] < limit {
                used[key, default: 0] += 1
                allowed.append(row)
            } else {
                // Sent before this batch: wait until the oldest of them leaves the window; only
                // this batch's: a full minute.
                let wait = before >= limit ? max(1, recent[key]?.freesIn ?? 60) : 60
                holds.append(Hold(row: row, seconds: wait, reason: "rate_limit"))
            }
        }
        return (allowed, holds)
    }

    struct Key: Hashable {
        var channel: String
        var address: String
    }

    private func hold(_ holds: [Hold], in tx: PostgresConnection) throws -> [OutgoingMessage] {
        try tx.query(
            """
            UPDATE notifications n SET next_attempt_at = clock_timestamp() + make_interval(secs => u.ms / 1000.0), held_reason = u.reason
            FROM unnest($1::int8[], $2::int8[], $3::text[]) AS u(id, ms, reason)
            WHERE n.id = u.id
            """,
            [.intArray(holds.map(\.row.id)), .intArray(holds.map { Int64(($0.seconds * 1000).rounded(.up)) }), .textArray(holds.map(\.reason))]
        )
        for h in holds { NotifierMetrics.count(h.row.channel, .held) }
        for reason in Set(holds.map(\.reason)) {
            logger.info("notifications held", metadata: ["reason": "\(reason)", "count": "\(holds.filter { $0.reason == reason }.count)"])
        }
        // One wake per distinct due second.
        let now = Date()
        let grouped = Dictionary(grouping: holds) { Int64($0.seconds.rounded(.up)) }
        return try grouped.map { seconds, holds in
            let due = now.addingTimeInterval(Double(seconds))
            let (queue, _) = DeliveryTopology.queue(toWait: .seconds(seconds), delays: retry.delays)
            return try NotificationWake(ids: holds.map(\.row.id), dueAt: due).message(to: queue)
        }
    }

    // MARK: Recording

    /// Stores every outcome and every attempt in two statements. Times come from
    /// `clock_timestamp()`, not `now()`: the transaction began before the deliveries, which may
    /// have taken seconds.
    private func record(_ rows: [PendingNotification], outcomes: [Int64: DeliveryOutcome], in tx: PostgresConnection) throws -> [OutgoingMessage] {
        var ids: [Int64] = [], statuses: [String] = [], errors: [String] = [], delays: [Int64] = []
        var attemptNumbers: [Int64] = [], kinds: [String] = [], codes: [Int64] = [], details: [String] = []
        var retries: [Duration: [Int64]] = [:]
        for row in rows {
            let attempts = row.attempts + 1
            let outcome = outcomes[row.id] ?? .transient("no outcome")
            var metadata = row.logMetadata.mapValues { Logger.MetadataValue.string($0) }
            metadata["attempt"] = "\(attempts)"
            if let code = outcome.code { metadata["response_code"] = "\(code)" }
            ids.append(row.id)
            attemptNumbers.append(Int64(attempts))
            kinds.append(outcome.kind.rawValue)
            codes.append(Int64(outcome.code ?? 0))
            details.append(outcome.detail ?? "")
            errors.append(outcome.detail ?? "")
            switch outcome.kind {
            case .delivered:
                logger.debug("notification delivered", metadata: metadata)
                NotifierMetrics.count(row.channel, .sent)
                statuses.append("sent")
                delays.append(0)
            case .transient:
                if let delay = retry.delay(afterAttempts: attempts) {
                    statuses.append("pending")
                    delays.append(delay.wholeMilliseconds)
                    retries[delay, default: []].append(row.id)
                    metadata["retry_in"] = "\(DeliveryTopology.label(delay))"
                    logger.warning("notification delivery failed; will retry", metadata: metadata)
                    NotifierMetrics.count(row.channel, .retried)
                } else {
                    statuses.append("dead")
                    delays.append(0)
                    logger.error("notification delivery failed for the last time; marked dead", metadata: metadata)
                    NotifierMetrics.count(row.channel, .dead)
                }
            case .permanent:
                statuses.append("dead")
                delays.append(0)
                logger.error("notification refused by its recipient; marked dead", metadata: metadata)
                NotifierMetrics.count(row.channel, .dead)
            }
        }
        try tx.query(
            """
            UPDATE notifications n SET
                status = u.status,
                attempts = n.attempts + 1,
                held_reason = NULL,
                last_error = coalesce(nullif(u.error, ''), n.last_error),
                next_attempt_at = CASE WHEN u.status = 'pending' THEN clock_timestamp() + make_interval(secs => u.delay_ms / 1000.0)
                                       ELSE n.next_attempt_at END,
                sent_at = CASE WHEN u.status = 'sent' THEN clock_timestamp() ELSE n.sent_at END,
                dead_at = CASE WHEN u.status = 'dead' THEN clock_timestamp() ELSE NULL END,
                dead_reason = CASE WHEN u.status = 'dead' THEN
                                  CASE WHEN u.kind = 'transient' THEN 'gave up after ' || (n.attempts + 1) || ' attempts: ' || u.error
                                       ELSE u.error END
                              ELSE NULL END
            FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::text[]) AS u(id, status, error, delay_ms, kind)
            WHERE n.id = u.id
            """,
            [.intArray(ids), .textArray(statuses), .textArray(errors), .intArray(delays), .textArray(kinds)]
        )
        try tx.query(
            """
            INSERT INTO notification_attempts (notification_id, attempt, channel, outcome, response_code, detail)
            SELECT u.id, u.attempt, n.channel, u.kind, nullif(u.code, 0), nullif(u.detail, '')
            FROM unnest($1::int8[], $2::int8[], $3::text[], $4::int8[], $5::text[]) AS u(id, attempt, kind, code, detail)
            JOIN notifications n ON n.id = u.id
            """,
            [.intArray(ids), .intArray(attemptNumbers), .textArray(kinds), .intArray(codes), .textArray(details)]
        )
        let now = Date()
        return try retries.map { delay, ids in
            try NotificationWake(ids: ids, dueAt: now.addingTimeInterval(Double(delay.wholeMilliseconds) / 1000)).message(
                to: DeliveryTopology.retryQueue(for: delay)
            )
        }
    }
}
