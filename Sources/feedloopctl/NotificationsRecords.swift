import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// A notification row as `feedloopctl notifications` shows it: the address masked, the text
/// only when asked for.
struct NotificationRecord: Encodable {
    var id: Int64
    var status: String
    var channel: String
    var audience: String
    var eventType: String
    var ticketId: Int64?
    var recipient: String
    var maskedAddress: String?
    var locale: String?
    var attempts: Int
    var createdAt: Date?
    var nextAttemptAt: Date?
    var heldReason: String?
    var sentAt: Date?
    var deadAt: Date?
    var deadReason: String?
    var deadForSeconds: Double?
    var subject: String?
    var body: String?

    static let columns = """
        id, status, channel, audience, event_type, ticket_id, recipient, address, locale, attempts, created_at, next_attempt_at,
        held_reason, sent_at, dead_at, dead_reason, extract(epoch FROM now() - dead_at)::float8, subject, body
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        status = try row.decode(String.self, at: 1)
        let channel = try row.decode(String.self, at: 2)
        self.channel = channel
        audience = try row.decode(String.self, at: 3)
        eventType = try row.decode(String.self, at: 4)
        ticketId = try row.decode(Int64?.self, at: 5)
        recipient = try row.decode(String.self, at: 6)
        maskedAddress = try row.decode(String?.self, at: 7).map { Self.mask($0, channel: channel) }
        locale = try row.decode(String?.self, at: 8)
        attempts = try row.decode(Int.self, at: 9)
        createdAt = try row.decode(Date?.self, at: 10)
        nextAttemptAt = try row.decode(Date?.self, at: 11)
        heldReason = try row.decode(String?.self, at: 12)
        sentAt = try row.decode(Date?.self, at: 13)
        deadAt = try row.decode(Date?.self, at: 14)
        deadReason = try row.decode(String?.self, at: 15)
        deadForSeconds = try row.decode(Double?.self, at: 16)
        subject = try row.decode(String?.self, at: 17)
        body = try row.decode(String?.self, at: 18)
    }

    static func dead(limit: Int, in db: PostgresConnection) throws -> [NotificationRecord] {
        try db.query(
            "SELECT \(columns) FROM notifications WHERE status = 'dead' ORDER BY dead_at DESC NULLS LAST, id DESC LIMIT $1", [.int(Int64(limit))]
        ).map {
            var record = try NotificationRecord(row: $0)
            record.subject = nil
            record.body = nil
            return record
        }
    }

    static func find(_ id: Int64, in db: PostgresConnection) throws -> NotificationRecord? {
        try db.query("SELECT \(columns) FROM notifications WHERE id = $1", [.int(id)]).first.map(NotificationRecord.init(row:))
    }

    /// Email and phone masked as elsewhere in Feedloop; a URL down to its host.
    static func mask(_ address: String, channel: String) -> String {
        switch channel {
        case "email": return PersonalDataMask.email(address)
        case "sms": return PersonalDataMask.phone(address)
        default: return URL(string: address)?.host.map { "…@\($0)" } ?? "…"
        }
    }

    static func shorten(_ text: String, to length: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > length ? String(line.prefix(length - 1)) + "…" : line
    }
}

/// One row of `notification_attempts`.
struct NotificationAttemptRecord: Encodable {
    var attempt: Int
    var at: Date
    var channel: String
    var outcome: String
    var responseCode: Int?
    var detail: String?

    static func all(of id: Int64, in db: PostgresConnection) throws -> [NotificationAttemptRecord] {
        try db.query(
            "SELECT attempt, at, channel, outcome, response_code, detail FROM notification_attempts WHERE notification_id = $1 ORDER BY id", [.int(id)]
        ).map { row in
            NotificationAttemptRecord(
                attempt: try row.decode(Int.self, at: 0), at: try row.decode(Date.self, at: 1), channel: try row.decode(String.self, at: 2),
                outcome: try row.decode(String.self, at: 3), responseCode: try row.decode(Int?.self, at: 4), detail: try row.decode(String?.self, at: 5)
            )
        }
    }

    static func table(_ attempts: [NotificationAttemptRecord]) -> String {
        var table = TextTable(["ATTEMPT", "AT", "CHANNEL", "OUTCOME", "CODE", "DETAIL"], numericColumns: [0, 4])
        for a in attempts {
            table.append([
                String(a.attempt), FeedloopJSON.formatTimestamp(a.at), a.channel, a.outcome, a.responseCode.map(String.init) ?? "-",
                NotificationRecord.shorten(a.detail ?? "", to: 80),
            ])
        }
        return table.render()
    }
}

/// `notifications show --json`.
struct NotificationDetail: Encodable {
    var notification: NotificationRecord
    var attempts: [NotificationAttemptRecord]
}
