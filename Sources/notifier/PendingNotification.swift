import Postgres

/// A claimed notification row, as much of it as delivery needs.
struct PendingNotification: Sendable {
    var id: Int64
    var dedupeKey: String
    var ticketId: Int64?
    var eventType: String
    var audience: String
    var recipient: String
    var channel: String
    /// Email address, phone number or webhook URL; personal data, never logged.
    var address: String?
    var subject: String?
    /// The plain-text body.
    var body: String
    var bodyHTML: String?
    var locale: String?
    /// Attempts made before this one (in this round: a replay starts again at 0).
    var attempts: Int

    static let columns = "id, dedupe_key, ticket_id, event_type, audience, recipient, channel, address, subject, body, body_html, locale, attempts"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        dedupeKey = try row.decode(String.self, at: 1)
        ticketId = try row.decode(Int64?.self, at: 2)
        eventType = try row.decode(String.self, at: 3)
        audience = try row.decode(String.self, at: 4)
        recipient = try row.decode(String.self, at: 5)
        channel = try row.decode(String.self, at: 6)
        address = try row.decode(String?.self, at: 7)
        subject = try row.decode(String?.self, at: 8)
        body = try row.decode(String.self, at: 9)
        bodyHTML = try row.decode(String?.self, at: 10)
        locale = try row.decode(String?.self, at: 11)
        attempts = try row.decode(Int.self, at: 12)
    }

    /// What a log line may say about the row: ids and kinds, never the address or the text.
    var logMetadata: [String: String] {
        [
            "notification_id": "\(id)", "ticket_id": ticketId.map(String.init) ?? "-", "channel": channel, "audience": audience,
            "event": eventType,
        ]
    }
}
