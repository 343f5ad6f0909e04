import FeedloopCore
import Postgres

/// A notification row to insert: one per (event, audience), keyed so that a redelivered or
/// requeued event never produces a second one.
struct NewNotification: Sendable {
    var dedupeKey: String
    var ticketId: Int64
    var eventType: String
    var audience: Audience
    var recipient: String
    var channel: DeliveryChannelKind
    var body: String

    /// Inserts all rows in one statement; returns how many were new.
    @discardableResult
    static func insert(_ rows: [NewNotification], in db: PostgresConnection) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let result = try db.query(
            """
            INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, body)
            SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            ON CONFLICT (dedupe_key) DO NOTHING
            """,
            [
                .textArray(rows.map(\.dedupeKey)),
                .intArray(rows.map(\.ticketId)),
                .textArray(rows.map(\.eventType)),
                .textArray(rows.map(\.audience.rawValue)),
                .textArray(rows.map(\.recipient)),
                .textArray(rows.map(\.channel.rawValue)),
                .textArray(rows.map(\.body)),
            ]
        )
        return result.affectedRows
    }
}
