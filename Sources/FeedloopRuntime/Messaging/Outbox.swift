import FeedloopCore
import Foundation
import Logging
import Postgres

/// The transactional outbox: events are inserted in the transaction that made them true and
/// deleted after the broker confirmed them. Each row is up for relaying from its
/// `relay_after` time: at once for rows a relay publishes (the producer's), a grace period later
/// for rows their writer publishes itself, so that a relay only takes over after a crash.
public enum Outbox {
    /// How long a writer that publishes its own rows keeps them before relays may take over.
    public static let writerGrace: Duration = .seconds(10)

    /// Inserts the messages in one statement; returns the ones actually inserted with their row
    /// ids (a message whose id is already pending is left to whoever inserted it).
    /// `relayAfter`: zero when a relay publishes them, ``writerGrace`` when the caller does.
    public static func insert(
        _ messages: [OutgoingMessage], relayAfter: Duration, in db: PostgresConnection
    ) throws -> [(id: Int64, message: OutgoingMessage)] {
        guard !messages.isEmpty else { return [] }
        let rows = try db.query(
            """
            INSERT INTO outbox (message_id, exchange, routing_key, type, ticket_id, body, created_at, relay_after)
            SELECT u.*, now() + make_interval(secs => $8)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::timestamptz[]) AS u
            ON CONFLICT (message_id) DO NOTHING
            RETURNING id, message_id
            """,
            [
                .textArray(messages.map(\.messageId)),
                .textArray(messages.map(\.exchange)),
                .textArray(messages.map(\.routingKey)),
                .textArray(messages.map(\.type)),
                .intArray(messages.map { $0.ticketId ?? 0 }),
                .textArray(messages.map { String(decoding: $0.body, as: UTF8.self) }),
                .textArray(messages.map { FeedloopJSON.formatTimestamp($0.timestamp) }),
                .double(relayAfter.seconds),
            ]
        )
        var byId: [String: OutgoingMessage] = [:]
        for m in messages { byId[m.messageId] = m }
        return try rows.map { row in
            let id = try row.decode(Int64.self, at: 0)
            let messageId = try row.decode(String.self, at: 1)
            return (id, byId[messageId]!)
        }
    }

    static func delete(ids: [Int64], in db: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        try db.query("DELETE FROM outbox WHERE id = ANY($1::int8[])", [.intArray(ids)])
    }

    /// Deletes rows whose messages the broker confirmed, in a transaction of its own that
    /// does not wait for the disk: a delete lost in a crash only means those messages are
    /// relayed again, which consumers drop as duplicates (rule 2), and each batch of every
    /// worker saves a flush it would otherwise wait for.
    public static func deletePublished(ids: [Int64], in db: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        // One simple query runs as one transaction, so SET LOCAL covers just this delete;
        // ids are integers, safe to inline.
        try db.execute(
            script: "SET LOCAL synchronous_commit TO off; DELETE FROM outbox WHERE id = ANY('{\(ids.map(String.init).joined(separator: ","))}'::int8[])")
    }

    /// Publishes rows that are up for relaying (oldest first, at most `limit`), claimed with
    /// `FOR UPDATE SKIP LOCKED` so that concurrent relays never publish the same row twice,
    /// and deletes them after the confirms. Returns how many were published.
    @discardableResult
    public static func relay(
        db: PostgresConnection, publisher: EventPublisher, limit: Int = 500, shouldStop: () -> Bool = { false }
    ) throws -> Int {
        try db.transaction { tx in
            let rows = try tx.query(
                """
                SELECT id, message_id, exchange, routing_key, type, ticket_id, body, created_at FROM outbox
                WHERE relay_after <= now()
                ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                """,
                [.int(Int64(limit))]
            )
            guard !rows.isEmpty else { return 0 }
            var ids: [Int64] = []
            var messages: [OutgoingMessage] = []
            for row in rows {
                ids.append(try row.decode(Int64.self, at: 0))
                let ticket = try row.decode(Int64.self, at: 5)
                messages.append(
                    OutgoingMessage(
                        messageId: try row.decode(String.self, at: 1), exchange: try row.decode(String.self, at: 2),
                        routingKey: try row.decode(String.self, at: 3), type: try row.decode(String.self, at: 4),
                        ticketId: ticket == 0 ? nil : ticket, body: Array(try row.decode(String.self, at: 6).utf8),
                        timestamp: try row.decode(Date.self, at: 7)
                    )
                )
            }
            try publisher.publish(messages, shouldStop: shouldStop)
            try delete(ids: ids, in: tx)
            return ids.count
        }
    }
}
