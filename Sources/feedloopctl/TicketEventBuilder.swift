import FeedloopCore
import Foundation
import Postgres

/// Rebuilds a ticket's events from its row, exactly as their first publisher built them:
/// the payload determines the message id, so consumers that already handled the original
/// recognise the copy and ignore it.
struct TicketEventBuilder {
    /// The ticket columns the events are made of.
    struct TicketRow {
        var id: Int64
        var state: String
        var channel: String
        var externalId: String?
        var body: String
        var customerTier: String?
        var receivedAt: Date
        var category: String?
        var subcategory: String?
        var sentiment: String?
        var level: Int?
        var levelRule: String?
        var department: String?
        var classifiedAt: Date?
    }

    /// Loads the rows of `ids` (missing ids are simply absent from the result).
    static func load(_ ids: [Int64], from db: PostgresConnection) throws -> [Int64: TicketRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT id, state, channel, external_id, body, customer_tier, received_at, category, subcategory, sentiment,
                   level::int8, level_rule, department, classified_at
            FROM tickets WHERE id = ANY($1::int8[])
            """,
            [.intArray(ids)]
        )
        var result: [Int64: TicketRow] = [:]
        for r in rows {
            let row = TicketRow(
                id: try r.decode(Int64.self, at: 0), state: try r.decode(String.self, at: 1), channel: try r.decode(String.self, at: 2),
                externalId: try r.decode(String?.self, at: 3), body: try r.decode(String.self, at: 4),
                customerTier: try r.decode(String?.self, at: 5), receivedAt: try r.decode(Date.self, at: 6),
                category: try r.decode(String?.self, at: 7), subcategory: try r.decode(String?.self, at: 8),
                sentiment: try r.decode(String?.self, at: 9), level: try r.decode(Int?.self, at: 10),
                levelRule: try r.decode(String?.self, at: 11), department: try r.decode(String?.self, at: 12),
                classifiedAt: try r.decode(Date?.self, at: 13)
            )
            result[row.id] = row
        }
        return result
    }

    /// What the producer published when it stored the ticket.
    static func feedbackReceived(_ row: TicketRow) throws -> FeedbackReceived {
        FeedbackReceived(
            ticketId: row.id, channel: try parse(Channel.self, row.channel, "channel"), externalId: row.externalId, text: row.body,
            customerTier: try row.customerTier.map { try parse(CustomerTier.self, $0, "customer_tier") }, receivedAt: row.receivedAt
        )
    }

    /// What the classifier published when it opened the ticket.
    static func ticketClassified(_ row: TicketRow) throws -> TicketClassified {
        guard let category = row.category, let sentiment = row.sentiment, let level = row.level, let department = row.department,
            let classifiedAt = row.classifiedAt
        else {
            throw RebuildError("ticket \(row.id) has no complete classification (category, sentiment, level, department, classified_at)")
        }
        guard let grade = Level(rawValue: level) else { throw RebuildError("ticket \(row.id) has an unknown level \(level)") }
        return TicketClassified(
            ticketId: row.id, channel: try parse(Channel.self, row.channel, "channel"), category: try parse(Category.self, category, "category"),
            subcategory: row.subcategory, sentiment: try parse(Sentiment.self, sentiment, "sentiment"), level: grade,
            levelRule: row.levelRule ?? "", department: department,
            customerTier: try row.customerTier.map { try parse(CustomerTier.self, $0, "customer_tier") }, receivedAt: row.receivedAt,
            classifiedAt: classifiedAt
        )
    }

    private static func parse<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw RebuildError("unknown \(column) \"\(raw)\"") }
        return value
    }
}

/// A ticket row from which an event cannot be rebuilt.
struct RebuildError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
