import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Claims due notification rows and delivers them. Rows are claimed with
/// `FOR UPDATE SKIP LOCKED` inside the transaction that records their outcome, so replicas
/// never deliver the same row at the same time; a replica that dies mid-way leaves its rows
/// pending for another (delivery is at least once: `X-Feedloop-Delivery` lets receivers
/// recognise a repeat).
final class NotificationDispatcher {
    let webhook: WebhookTransport?
    let retry: RetryPolicy
    let logger: Logger
    /// Most rows claimed per transaction.
    let claimLimit: Int
    /// How long one call may keep claiming batches: the worker's thread also services the
    /// broker connection's heartbeats, so a large backlog is worked off across ticks.
    let timeBudget: Duration

    init(webhook: WebhookTransport?, retry: RetryPolicy = RetryPolicy(), logger: Logger, claimLimit: Int = 100, timeBudget: Duration = .seconds(5)) {
        self.webhook = webhook
        self.retry = retry
        self.logger = logger
        self.claimLimit = claimLimit
        self.timeBudget = timeBudget
    }

    /// Delivers due rows until none is left or the time budget is used; returns how many
    /// rows were attempted.
    @discardableResult
    func deliverDue(db: PostgresConnection) throws -> Int {
        let end = ContinuousClock.now + timeBudget
        var total = 0
        while true {
            let claimed = try db.transaction { tx in try deliverOneBatch(tx) }
            total += claimed
            if claimed < claimLimit || ContinuousClock.now >= end { return total }
        }
    }

    private func deliverOneBatch(_ tx: PostgresConnection) throws -> Int {
        let rows = try tx.query(
            """
            SELECT \(PendingNotification.columns) FROM notifications
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
            """,
            [.int(Int64(claimLimit))]
        ).map(PendingNotification.init(row:))
        guard !rows.isEmpty else { return 0 }
        let outcomes = deliver(rows)
        try record(rows, outcomes: outcomes, in: tx)
        return rows.count
    }

    private func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        var outcomes: [Int64: DeliveryOutcome] = [:]
        var viaWebhook: [PendingNotification] = []
        for row in rows {
            switch DeliveryChannelKind(rawValue: row.channel) {
            case .log:
                logger.info(
                    "notification delivered to log",
                    metadata: [
                        "notification_id": "\(row.id)", "ticket_id": "\(row.ticketId.map(String.init) ?? "-")",
                        "audience": "\(row.audience)", "event": "\(row.eventType)",
                    ]
                )
                outcomes[row.id] = .delivered
            case .webhook:
                viaWebhook.append(row)
            case nil:
                outcomes[row.id] = .permanentFailure("unknown channel \(row.channel)")
            }
        }
        if !viaWebhook.isEmpty {
            if let webhook {
                outcomes.merge(webhook.deliver(viaWebhook)) { _, new in new }
            } else {
                // Written while a webhook was configured: wait for the configuration to return.
                for row in viaWebhook { outcomes[row.id] = .transientFailure("FEEDLOOP_WEBHOOK_URL is not set") }
            }
        }
        return outcomes
    }

    /// Stores every outcome in one statement. Times come from `clock_timestamp()`, not `now()`:
    /// the transaction began before the deliveries, which may have taken seconds.
    private func record(_ rows: [PendingNotification], outcomes: [Int64: DeliveryOutcome], in tx: PostgresConnection) throws {
        var ids: [Int64] = [], statuses: [String] = [], errors: [String] = [], delays: [Int64] = []
        for row in rows {
            let attempts = row.attempts + 1
            var metadata: Logger.Metadata = [
                "notification_id": "\(row.id)", "ticket_id": "\(row.ticketId.map(String.init) ?? "-")", "attempts": "\(attempts)",
            ]
            ids.append(row.id)
            switch outcomes[row.id] ?? .transientFailure("no outcome") {
            case .delivered:
                logger.debug("notification delivered", metadata: metadata)
                statuses.append("sent")
                errors.append("")
                delays.append(0)
            case .transientFailure(let reason):
                metadata["reason"] = "\(reason)"
                errors.append(reason)
                if let delay = retry.delay(afterAttempts: attempts) {
                    statuses.append("pending")
                    delays.append(delay.components.seconds)
                    metadata["retry_in_s"] = "\(delay.components.seconds)"
                    logger.warning("notification delivery failed; will retry", metadata: metadata)
                } else {
                    statuses.append("dead")
                    delays.append(0)
                    logger.error("notification delivery failed for the last time; marked dead", metadata: metadata)
                }
            case .permanentFailure(let reason):
                metadata["reason"] = "\(reason)"
                statuses.append("dead")
                errors.append(reason)
                delays.append(0)
                logger.error("notification refused by its recipient; marked dead", metadata: metadata)
            }
        }
        try tx.query(
            """
            UPDATE notifications n SET
                status = u.status,
                attempts = n.attempts + 1,
                last_error = coalesce(nullif(u.error, ''), n.last_error),
                next_attempt_at = CASE WHEN u.status = 'pending' THEN clock_timestamp() + make_interval(secs => u.delay::float8)
                                       ELSE n.next_attempt_at END,
                sent_at = CASE WHEN u.status = 'sent' THEN clock_timestamp() ELSE n.sent_at END
            FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[]) AS u(id, status, error, delay)
            WHERE n.id = u.id
            """,
            [.intArray(ids), .textArray(statuses), .textArray(errors), .intArray(delays)]
        )
    }
}
