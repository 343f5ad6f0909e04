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
/// carries the id, can be written in Swift (on the reader thread, see ``stage(_:ids:now:)``), byte
/// for byte what the producer's HTTP path writes.
/// Rows that already exist, by (channel, external_id) or (channel, idempotency_key), are
/// skipped with their event (`ON CONFLICT DO NOTHING`), so a batch can be replayed safely.
final class BulkTicketWriter {
    static let stagingColumns = [
        "ord", "id", "channel", "external_id", "idempotency_key", "customer_ref", "customer_tier", "customer_name", "customer_phone",
        "customer_email", "customer_locale", "body", "received_at", "message_id", "event",
    ]
    static let actorReason = "imported from a file"
    /// One row per customer of the batch with the last non-empty value of each field.
    static let givenCustomers = """
        SELECT customer_ref,
            (array_agg(customer_tier ORDER BY ord DESC) FILTER (WHERE customer_tier IS NOT NULL))[1] AS tier,
            (array_agg(customer_name ORDER BY ord DESC) FILTER (WHERE customer_name IS NOT NULL))[1] AS name,
            (array_agg(customer_phone ORDER BY ord DESC) FILTER (WHERE customer_phone IS NOT NULL))[1] AS phone,
            (array_agg(customer_email ORDER BY ord DESC) FILTER (WHERE customer_email IS NOT NULL))[1] AS email,
            (array_agg(customer_locale ORDER BY ord DESC) FILTER (WHERE customer_locale IS NOT NULL))[1] AS locale
        FROM import_staging WHERE customer_ref IS NOT NULL GROUP BY customer_ref
        """

    private let db: PostgresConnection

    /// Creates the session's staging tables (emptied at the start of every batch: the customer
    /// half of a batch may commit before its ticket half).
    init(db: PostgresConnection) throws {
        self.db = db
        try db.execute(
            script: """
                CREATE TEMPORARY TABLE IF NOT EXISTS import_staging (
                    ord int NOT NULL, id bigint NOT NULL, channel text NOT NULL, external_id text, idempotency_key text,
                    customer_ref text, customer_tier text, customer_name text, customer_phone text, customer_email text,
                    customer_locale text, body text NOT NULL, received_at timestamptz NOT NULL, message_id text NOT NULL,
                    event text NOT NULL
                );
                CREATE TEMPORARY TABLE IF NOT EXISTS import_customers (
                    customer_ref text PRIMARY KEY, tier text, name text, phone text, email text, locale text
                )
                """
        )
    }

    /// Draws `count` ticket ids from the sequence (on any connection: sequences are not transactional).
    static func allocateIds(_ count: Int, on db: PostgresConnection) throws -> [Int64] {
        try db.query("SELECT nextval(pg_get_serial_sequence('tickets', 'id')) FROM generate_series(1, $1)", [.int(Int64(count))])
            .map { try $0.decode(Int64.self, at: 0) }
    }

    /// The staging rows of a batch, one per row with its pre-drawn id and its event JSON. Pure,
    /// so the reader thread builds them while the writer's previous batch is in the database.
    static func stage(_ rows: [ImportRow], ids: [Int64], now: Date = Date()) -> [[String?]] {
        // Both timestamps go through one formatter (nearest millisecond), so the event and the row agree.
        let occurredAt = now
        var staged: [[String?]] = []
        staged.reserveCapacity(rows.count)
        var event: [UInt8] = []
        var stamp: [UInt8] = []
        for (i, row) in rows.enumerated() {
            let item = row.submission
            let receivedAt = item.receivedAt ?? occurredAt
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
        return staged
    }

    /// Stores staged rows inside `tx`; returns how many became new tickets (the rest were duplicates).
    func write(_ staged: [[String?]], in tx: PostgresConnection) throws -> Int {
        guard !staged.isEmpty else { return 0 }
        try self.writeCustomers(staged, in: tx)
        return try self.writeTickets(in: tx)
    }

    /// The first half of ``write(_:in:)``: copies the batch into staging and upserts its
    /// customers. Concurrent writers run this half one batch at a time, in batch order, each in
    /// a transaction of its own that commits before the ticket half: customer rows stay locked
    /// only briefly, and upserting them again on a resume changes nothing.
    func writeCustomers(_ staged: [[String?]], in tx: PostgresConnection) throws {
        try tx.execute(script: "TRUNCATE import_staging, import_customers")
        try tx.copyIn(table: "import_staging", columns: Self.stagingColumns, rows: staged)
        // Customers: new references inserted; given contact fields and tiers update existing
        // records only where something changes. Per field, the batch's last non-empty value wins.
        try tx.query("INSERT INTO import_customers \(Self.givenCustomers)")
        try tx.query(
            """
            INSERT INTO customers (external_ref, tier, name, phone, email, locale)
            SELECT customer_ref, coalesce(tier, 'regular'), name, phone, email, locale FROM import_customers ORDER BY customer_ref
            ON CONFLICT (external_ref) DO NOTHING
            """
        )
        try tx.query(
            """
            UPDATE customers c SET tier = coalesce(s.tier, c.tier), name = coalesce(s.name, c.name), phone = coalesce(s.phone, c.phone),
                email = coalesce(s.email, c.email), locale = coalesce(s.locale, c.locale), updated_at = now()
            FROM import_customers s
            WHERE c.external_ref = s.customer_ref
                AND (coalesce(s.tier, c.tier), coalesce(s.name, c.name), coalesce(s.phone, c.phone), coalesce(s.email, c.email),
                    coalesce(s.locale, c.locale))
                IS DISTINCT FROM (c.tier, c.name, c.phone, c.email, c.locale)
            """
        )
    }

    /// The second half of ``write(_:in:)``: tickets, transitions and outbox rows from staging;
    /// returns how many tickets are new.
    func writeTickets(in tx: PostgresConnection) throws -> Int {
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
                SELECT s.message_id, $3, $4, $4, s.id, s.event, now(), now()
                FROM import_staging s JOIN inserted USING (id)
            )
            SELECT count(*) FROM inserted
            """,
            [
                .text(TicketState.received.rawValue), .text(Self.actorReason), .text(Topology.eventsExchange),
                .text(EventType.feedbackReceived.rawValue),
            ]
        )
        return try inserted[0].decode(Int.self, at: 0)
    }
}
