import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// A ticket created by ``TicketStore/insert(_:actorReason:in:)``.
struct CreatedTicket {
    /// Position of the item in the batch it was stored from.
    var index: Int
    var ticketId: Int64
    var event: FeedbackReceived
}

/// The producer's SQL: new `received` tickets with their first transition and their
/// feedback.received events in the outbox, and reads for the API.
enum TicketStore {
    /// Inserts a batch of validated items with one multi-row statement, inside the caller's
    /// transaction, plus their transitions and outbox events, and upserts their customers
    /// (``CustomerStore``) first. Items whose (channel, external_id) or (channel,
    /// idempotency key) already exists are skipped; those are not in the result.
    ///
    /// `idempotencyKeys`, when given, has one entry per item; a key is stored only for an item
    /// without an external_id (the channel's own id already identifies the others).
    ///
    /// Ids are drawn from the sequence before the insert so that each stored row maps back to
    /// its input position: RETURNING alone cannot say which input row a ticket came from when
    /// items have no external_id.
    static func insert(
        _ items: [FeedbackSubmission], idempotencyKeys: [String?]? = nil, actorReason: String, in tx: PostgresConnection, now: Date = Date()
    ) throws -> [CreatedTicket] {
        guard !items.isEmpty else { return [] }
        precondition(idempotencyKeys == nil || idempotencyKeys!.count == items.count, "one idempotency key (or nil) per item")
        let customers = try CustomerStore.upsert(items.compactMap(\.customer), in: tx)
        // The record's tier stands in when the item names the customer but not the tier.
        let tiers = items.map { item in item.customer?.tier ?? item.customer?.ref.flatMap { customers[$0]?.tier } }
        let keys = items.indices.map { i in items[i].externalId == nil ? idempotencyKeys?[i] : nil }
        // Millisecond precision, what the event carries, so that the event and the row agree.
        let receivedAt = items.map { Self.millisecondPrecision($0.receivedAt ?? now) }
        // No conflict target: a conflict on either unique key, (channel, external_id) or
        // (channel, idempotency_key), means the item was stored before.
        let rows = try tx.query(
            """
            WITH input AS (
                SELECT nextval(pg_get_serial_sequence('tickets', 'id')) AS id, u.*
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int8[], $8::text[])
                    WITH ORDINALITY AS u(channel, external_id, customer_ref, customer_tier, body, received_at, customer_id, idempotency_key, ord)
            ), inserted AS (
                INSERT INTO tickets (id, channel, external_id, customer_ref, customer_tier, body, received_at, customer_id, idempotency_key)
                SELECT id, channel, nullif(external_id, ''), nullif(customer_ref, ''), nullif(customer_tier, ''), body, received_at,
                    nullif(customer_id, 0), nullif(idempotency_key, '')
                FROM input ORDER BY ord
                ON CONFLICT DO NOTHING
                RETURNING id
            )
            SELECT input.ord, input.id FROM input JOIN inserted USING (id) ORDER BY input.ord
            """,
            [
                .textArray(items.map(\.channel.rawValue)),
                // Empty strings (and id 0) stand for NULL: arrays bound as text cannot carry
                // NULLs, and validation already turned blank values into absent ones.
                .textArray(items.map { $0.externalId ?? "" }),
                .textArray(items.map { $0.customer?.ref ?? "" }),
                .textArray(tiers.map { $0?.rawValue ?? "" }),
                .textArray(items.map(\.text)),
                .textArray(receivedAt.map(PostgresTextFormat.timestamp)),
                .intArray(items.map { item in item.customer?.ref.flatMap { customers[$0]?.id } ?? 0 }),
                .textArray(keys.map { $0 ?? "" }),
            ]
        )
        var created: [CreatedTicket] = []
        created.reserveCapacity(rows.count)
        for row in rows {
            let index = try row.decode(Int.self, at: 0) - 1
            let id = try row.decode(Int64.self, at: 1)
            let item = items[index]
            let event = FeedbackReceived(
                ticketId: id, channel: item.channel, externalId: item.externalId, text: item.text,
                customerTier: tiers[index], receivedAt: receivedAt[index]
            )
            created.append(CreatedTicket(index: index, ticketId: id, event: event))
        }
        guard !created.isEmpty else { return [] }
        try tx.query(
            """
            INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
            SELECT unnest($1::int8[]), NULL, $2, 'producer', $3
            """,
            [.intArray(created.map(\.ticketId)), .text(TicketState.received.rawValue), .text(actorReason)]
        )
        // The relay publishes these at once (relayAfter zero) after the commit.
        _ = try Outbox.insert(try created.map { try OutgoingMessage.event($0.event, at: now) }, relayAfter: .zero, in: tx)
        return created
    }

    /// A channel and the channel's own id: what makes a resent item the same item.
    struct Key: Hashable {
        var channel: String
        var externalId: String
    }

    /// The tickets resent items (same channel and external_id) refer to, in one query.
    static func existing(_ keys: [(channel: Channel, externalId: String)], in db: PostgresConnection) throws -> [Key: (id: Int64, state: String)] {
        let rows = try db.query(
            """
            SELECT t.channel, t.external_id, t.id, t.state FROM tickets t
            JOIN unnest($1::text[], $2::text[]) AS k(channel, external_id) USING (channel, external_id)
            """,
            [.textArray(keys.map(\.channel.rawValue)), .textArray(keys.map(\.externalId))]
        )
        var found: [Key: (id: Int64, state: String)] = [:]
        for row in rows {
            let key = Key(channel: try row.decode(String.self, at: 0), externalId: try row.decode(String.self, at: 1))
            found[key] = (try row.decode(Int64.self, at: 2), try row.decode(String.self, at: 3))
        }
        return found
    }

    /// The tickets retried requests (same channel and Idempotency-Key) refer to, in one query;
    /// keyed by channel and idempotency key.
    static func existing(idempotencyKeys keys: [(channel: Channel, key: String)], in db: PostgresConnection) throws -> [Key: (id: Int64, state: String)] {
        let rows = try db.query(
            """
            SELECT t.channel, t.idempotency_key, t.id, t.state FROM tickets t
            JOIN unnest($1::text[], $2::text[]) AS k(channel, idempotency_key) USING (channel, idempotency_key)
            """,
            [.textArray(keys.map(\.channel.rawValue)), .textArray(keys.map(\.key))]
        )
        var found: [Key: (id: Int64, state: String)] = [:]
        for row in rows {
            let key = Key(channel: try row.decode(String.self, at: 0), externalId: try row.decode(String.self, at: 1))
            found[key] = (try row.decode(Int64.self, at: 2), try row.decode(String.self, at: 3))
        }
        return found
    }

    /// A ticket's public fields, or nil when there is no such ticket.
    static func find(id: Int64, in db: PostgresConnection) throws -> TicketView? {
        let rows = try db.query(
            """
            SELECT t.id, t.channel, t.external_id, t.customer_tier, t.state, t.category, t.subcategory, t.sentiment, t.level::int8,
                t.level_rule, t.department, t.keywords, t.received_at, t.created_at, t.classified_at, t.state_changed_at,
                c.external_ref, c.tier, c.name, c.phone, c.email, c.locale
            FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id = $1
            """,
            [.int(id)]
        )
        guard let row = rows.first else { return nil }
        return TicketView(
            id: try row.decode(Int64.self, at: 0),
            channel: try row.decode(String.self, at: 1),
            externalId: try row.decode(String?.self, at: 2),
            customerTier: try row.decode(String?.self, at: 3),
            state: try row.decode(String.self, at: 4),
            category: try row.decode(String?.self, at: 5),
            subcategory: try row.decode(String?.self, at: 6),
            sentiment: try row.decode(String?.self, at: 7),
            level: try row.decode(Int64?.self, at: 8),
            levelRule: try row.decode(String?.self, at: 9),
            department: try row.decode(String?.self, at: 10),
            keywords: try row.decode([String].self, at: 11),
            receivedAt: try row.decode(Date.self, at: 12),
            createdAt: try row.decode(Date.self, at: 13),
            classifiedAt: try row.decode(Date?.self, at: 14),
            stateChangedAt: try row.decode(Date.self, at: 15),
            customer: try Self.maskedCustomer(row, at: 16)
        )
    }

    /// The customer record of a ticket as the API shows it: masked, or nil without a record.
    private static func maskedCustomer(_ row: PostgresRow, at first: Int) throws -> FeedbackCustomer? {
        guard let ref = try row.decode(String?.self, at: first) else { return nil }
        let customer = FeedbackCustomer(
            ref: ref, tier: try row.decode(String?.self, at: first + 1).flatMap(CustomerTier.init(rawValue:)),
            name: try row.decode(String?.self, at: first + 2), phone: try row.decode(String?.self, at: first + 3),
            email: try row.decode(String?.self, at: first + 4), locale: try row.decode(String?.self, at: first + 5)
        )
        return customer.masked
    }

    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
