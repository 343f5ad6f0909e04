import FeedloopRuntime
import Postgres

/// A notification row to insert (status `pending`, picked up by delivery): one per (event,
/// audience, recipient, channel), keyed so that a redelivered or requeued event never produces
/// a second one. The single insert path of the notification outbox.
struct NewNotification: Sendable {
    var dedupeKey: String
    var ticketId: Int64
    var eventType: String
    var audience: NotificationAudience
    /// Free of personal data: `customer:<ref>`, a person's id, `department:<id>`.
    var recipient: String
    var channel: NotificationChannel
    /// Email address, phone number or webhook URL; nil for the log. Personal data, never logged.
    var address: String?
    var subject: String
    /// Plain text: the whole message for SMS, webhook and log; the text part of an email.
    var body: String
    var bodyHTML: String?
    var locale: String

    /// `<event message id>/<audience>/<recipient>/<channel>`.
    static func dedupeKey(messageId: String, audience: NotificationAudience, recipient: String, channel: NotificationChannel) -> String {
        "\(messageId)/\(audience.rawValue)/\(recipient)/\(channel.rawValue)"
    }

    /// Inserts all rows in one statement; returns how many were new. An empty address or HTML
    /// body is stored as NULL (the driver's arrays carry no NULLs).
    @discardableResult
    static func insert(_ rows: [NewNotification], in db: PostgresConnection) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let result = try db.query(
            """
            INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, address, subject, body, body_html, locale)
            SELECT k, t, e, a, r, c, nullif(addr, ''), s, b, nullif(h, ''), l
            FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                        $10::text[], $11::text[]) AS u(k, t, e, a, r, c, addr, s, b, h, l)
            ON CONFLICT (dedupe_key) DO NOTHING
            """,
            [
                .textArray(rows.map(\.dedupeKey)),
                .intArray(rows.map(\.ticketId)),
                .textArray(rows.map(\.eventType)),
                .textArray(rows.map(\.audience.rawValue)),
                .textArray(rows.map(\.recipient)),
                .textArray(rows.map(\.channel.rawValue)),
                .textArray(rows.map { $0.address ?? "" }),
                .textArray(rows.map(\.subject)),
                .textArray(rows.map(\.body)),
                .textArray(rows.map { $0.bodyHTML ?? "" }),
                .textArray(rows.map(\.locale)),
            ]
        )
        return result.affectedRows
    }
}
