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
    /// transaction, plus their transitions and outbox events. Items whose (channel, external_id)
    /// already exists are skipped; those are not in the result.
    ///
    /// Ids are drawn from the sequence before the insert so that each stored row maps back to
    /// its input position: RETURNING alone cannot say which input row a ticket came from when
    /// items have no external_id.
    static func insert(_ items: [FeedbackSubmission], actorReason: String, in tx: PostgresConnection, now: Date = Date()) throws -> [CreatedTicket] {
        guard !items.isEmpty else { return [] }
        // Millisecond precision, what the event carries, so that the event and the row agree.
        let receivedAt = items.map { Self.millisecondPrecision($0.receivedAt ?? now) }
        let rows = try tx.query(
            """
            WITH input AS (
                SELECT nextval(pg_get_serial_sequence('tickets', 'id')) AS id, u.*
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                    WITH ORDINALITY AS u(channel, external_id, customer_ref, customer_tier, body, received_at, ord)
            ), inserted AS (
                INSERT INTO tickets (id, channel, external_id, customer_ref, customer_tier, body, received_at)
                SELECT id, channel, nullif(external_id, ''), nullif(customer_ref, ''), nullif(customer_tier, ''), body, received_at
                FROM input ORDER BY ord
                ON CONFLICT (channel, external_id) DO NOTHING
                RETURNING id
            )
            SELECT input.ord, input.id FROM input JOIN inserted USING (id) ORDER BY input.ord
            """,
            [
                .textArray(items.map(\.channel.rawValue)),
                // Empty strings stand for NULL: text arrays cannot carry NULLs, and validation
                // already turned blank values into absent ones.
                .textArray(items.map { $0.externalId ?? "" }),
                .textArray(items.map { $0.customer?.ref ?? "" }),
                .textArray(items.map { $0.customer?.tier?.rawValue ?? "" }),
                .textArray(items.map(\.text)),
                .textArray(receivedAt.map(PostgresTextFormat.timestamp)),
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
                customerTier: item.customer?.tier, receivedAt: receivedAt[index]
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

    /// A ticket's public fields, or nil when there is no such ticket.
    static func find(id: Int64, in db: PostgresConnection) throws -> TicketView? {
        let rows = try db.query(
            """
            SELECT id, channel, external_id, customer_tier, state, category, subcategory, sentiment, level::int8,
                level_rule, department, keywords, received_at, created_at, classified_at, state_changed_at
            FROM tickets WHERE id = $1
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
            stateChangedAt: try row.decode(Date.self, at: 15)
        )
    }

    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
