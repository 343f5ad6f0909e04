import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// The import's bulk path: a batch is copied (`COPY … FROM STDIN`) into a temporary staging
/// table and moved from there with a few set-based statements: customers upserted by
/// external_ref, then tickets, their first transitions and their feedback.received outbox rows.
/// About eight round trips per batch whatever its size, all inside the caller's transaction.
///
/// Ticket ids are drawn from the sequence before the copy so that each row's event JSON, which
/// carries the id, can be written here, byte for byte what the producer's HTTP path writes.
/// Rows that already exist, by (channel, external_id) or (channel, idempotency_key), are
/// skipped with their event (`ON CONFLICT DO NOTHING`), so a batch can be replayed safely.
final class BulkTicketWriter {
    static let stagingColumns = [
        "ord", "id", "channel", "external_id", "idempotency_key", "customer_ref", "customer_tier", "customer_name", "customer_phone",
        "customer_email", "customer_locale", "body", "received_at", "message_id", "event",
    ]
    static let actorReason = "imported from a file"

    private let db: PostgresConnection

    /// Creates the session's staging table (emptied at every commit).
    init(db: PostgresConnection) throws {
        self.db = db
        try db.execute(
            script: """
                CREATE TEMPORARY TABLE IF NOT EXISTS import_staging (
                    ord int NOT NULL, id bigint NOT NULL, channel text NOT NULL, external_id text, idempotency_key text,
                    customer_ref text, customer_tier text, customer_name text, customer_phone text, customer_email text,
                    customer_locale text, body text NOT NULL, received_at timestamptz NOT NULL, message_id text NOT NULL,
                    event text NOT NULL
                ) ON COMMIT DELETE ROWS
                """
        )
    }

    /// Stores the rows inside `tx`; returns how many became new tickets (the rest were duplicates).
    func write(_ rows: [ImportRow], now: Date = Date(), in tx: PostgresConnection) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let ids = try tx.query(
            "SELECT nextval(pg_get_serial_sequence('tickets', 'id')) FROM generate_series(1, $1)", [.int(Int64(rows.count))]
        ).map { try $0.decode(Int64.self, at: 0) }
        let occurredAt = Self.millisecondPrecision(now)
        var nowText: [UInt8] = []
        ImportEventEncoder.appendTimestamp(occurredAt, to: &nowText)

        var staged: [[String?]] = []
        staged.reserveCapacity(rows.count)
        var event: [UInt8] = []
        var stamp: [UInt8] = []
        for (i, row) in rows.enumerated() {
            let item = row.submission
            let receivedAt = item.receivedAt.map(Self.millisecondPrecision) ?? occurredAt
            let payload = FeedbackReceived(
                ticketId: ids[i], channel: item.channel, externalId: item.externalId, text: item.text,
                customerTier: item.customer?.tier, receivedAt: receivedAt
            )
            event.removeAll(keepingCapacity: true)
            ImportEventEncoder.feedbackReceived(payload, occurredAt: occurredAt, into: &event)
            stamp.removeAll(keepingCapacity: true)
            ImportEventEncoder.appendTimestamp(receivedAt, to: &stamp)
            let customer = item.customer
            staged.append([
                String(i), String(ids[i]), item.channel.rawValue, item.externalId, row.idempotencyKey, customer?.ref,
                customer?.tier?.rawValue, customer?.name, customer?.phone, customer?.email, customer?.locale, item.text,
                String(decoding: stamp, as: UTF8.self), payload.messageID, String(decoding: event, as: UTF8.self),
            ])
        }
        try tx.copyIn(table: "import_staging", columns: Self.stagingColumns, rows: staged)

        // Customers: new references inserted; given contact fields and tiers update existing
        // records only where something changes (the last row of the batch wins).
        try tx.query(
            """
            INSERT INTO customers (external_ref, tier, name, phone, email, locale)
            SELECT DISTINCT ON (customer_ref) customer_ref, coalesce(customer_tier, 'regular'), customer_name, customer_phone,
                customer_email, customer_locale
            FROM import_staging WHERE customer_ref IS NOT NULL
            ORDER BY customer_ref, ord DESC
            ON CONFLICT (external_ref) DO NOTHING
            """
        )
        try tx.query(
            """
            UPDATE customers c SET tier = coalesce(s.customer_tier, c.tier), name = coalesce(s.customer_name, c.name),
                phone = coalesce(s.customer_phone, c.phone), email = coalesce(s.customer_email, c.email),
                locale = coalesce(s.customer_locale, c.locale), updated_at = now()
            FROM (
                SELECT DISTINCT ON (customer_ref) * FROM import_staging WHERE customer_ref IS NOT NULL ORDER BY customer_ref, ord DESC
            ) s
            WHERE c.external_ref = s.customer_ref
                AND (coalesce(s.customer_tier, c.tier), coalesce(s.customer_name, c.name), coalesce(s.customer_phone, c.phone),
                    coalesce(s.customer_email, c.email), coalesce(s.customer_locale, c.locale))
                IS DISTINCT FROM (c.tier, c.name, c.phone, c.email, c.locale)
            """
        )
        let inserted = try tx.query(
            """
            WITH inserted AS (
                INSERT INTO tickets (id, channel, external_id, idempotency_key, customer_ref, customer_tier, customer_id, body, received_at)
                SELECT s.id, s.channel, s.external_id, s.idempotency_key, s.customer_ref, s.customer_tier, c.id, s.body, s.received_at
                FROM import_staging s LEFT JOIN customers c ON c.external_ref = s.customer_ref
                ORDER BY s.ord
                ON CONFLICT DO NOTHING
                RETURNING id
            ), transitions AS (
                INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
                SELECT id, NULL, $1, 'producer', $2 FROM inserted
            ), events AS (
                INSERT INTO outbox (message_id, exchange, routing_key, type, ticket_id, body, created_at, relay_after)
                SELECT s.message_id, $3, $4, $4, s.id, s.event, $5::timestamptz, now()
                FROM import_staging s JOIN inserted USING (id)
                ON CONFLICT (message_id) DO NOTHING
            )
            SELECT count(*) FROM inserted
            """,
            [
                .text(TicketState.received.rawValue), .text(Self.actorReason), .text(Topology.eventsExchange),
                .text(EventType.feedbackReceived.rawValue), .text(String(decoding: nowText, as: UTF8.self)),
            ]
        )
        return try inserted[0].decode(Int.self, at: 0)
    }

    /// What an event carries; the row gets the same value so that the two agree.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
