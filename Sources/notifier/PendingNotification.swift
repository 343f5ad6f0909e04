import Postgres

/// A claimed notification row, as much of it as delivery needs.
struct PendingNotification: Sendable {
    var id: Int64
    var ticketId: Int64?
    var eventType: String
    var audience: String
    var channel: String
    var body: String
    /// Attempts made before this one.
    var attempts: Int

    static let columns = "id, ticket_id, event_type, audience, channel, body, attempts"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        ticketId = try row.decode(Int64?.self, at: 1)
        eventType = try row.decode(String.self, at: 2)
        audience = try row.decode(String.self, at: 3)
        channel = try row.decode(String.self, at: 4)
        body = try row.decode(String.self, at: 5)
        attempts = try row.decode(Int.self, at: 6)
    }
}
