import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// What the database knows about a ticket and its customer when a message about it is
/// written. The customer's contact details and text are personal data: they reach only the
/// customer's own messages (``TemplateContext``) and `notifications.address`.
struct TicketFacts: Sendable {
    struct Customer: Sendable {
        var ref: String
        var tier: String?
        var name: String?
        var phone: String?
        var email: String?
        var locale: String?
    }

    var id: Int64
    var channel: String
    var category: String?
    var subcategory: String?
    var level: Level?
    var department: String?
    var assignee: String?
    var state: String
    var text: String
    var receivedAt: Date
    var customer: Customer?

    /// The facts of every listed ticket that exists, in one query.
    static func load(_ ids: [Int64], in db: PostgresConnection) throws -> [Int64: TicketFacts] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT t.id, t.channel, t.category, t.subcategory, t.level, t.department, t.assignee, t.state, t.body, t.received_at,
                   coalesce(c.external_ref, t.customer_ref), coalesce(c.tier, t.customer_tier), c.name, c.phone, c.email, c.locale
            FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
            WHERE t.id = ANY($1::int8[])
            """,
            [.intArray(Array(Set(ids)))]
        )
        var facts: [Int64: TicketFacts] = [:]
        for row in rows {
            let ref = try row.decode(String?.self, at: 10)
            let customer = try ref.flatMap { ref -> Customer? in
                ref.isEmpty
                    ? nil
                    : Customer(
                        ref: ref, tier: try row.decode(String?.self, at: 11), name: try row.decode(String?.self, at: 12),
                        phone: try row.decode(String?.self, at: 13), email: try row.decode(String?.self, at: 14),
                        locale: try row.decode(String?.self, at: 15))
            }
            let id = try row.decode(Int64.self, at: 0)
            facts[id] = TicketFacts(
                id: id, channel: try row.decode(String.self, at: 1), category: try row.decode(String?.self, at: 2),
                subcategory: try row.decode(String?.self, at: 3), level: try row.decode(Int?.self, at: 4).flatMap(Level.init(rawValue:)),
                department: try row.decode(String?.self, at: 5), assignee: try row.decode(String?.self, at: 6), state: try row.decode(String.self, at: 7),
                text: try row.decode(String.self, at: 8), receivedAt: try row.decode(Date.self, at: 9), customer: customer)
        }
        return facts
    }

    /// The customer as a recipient: their own name and addresses, or nil without a record.
    var customerRecipient: NotificationRecipient? {
        guard let customer else { return nil }
        return NotificationRecipient(
            id: "customer:\(customer.ref)", name: customer.name, locale: customer.locale,
            addresses: [.email: customer.email, .sms: customer.phone].compactMapValues { $0 })
    }
}
