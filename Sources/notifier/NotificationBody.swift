import FeedloopCore
import Foundation

/// The JSON document a notification carries (and a webhook receives). It holds what the
/// recipient needs to act — ids, classification, deadlines — and never the customer's text
/// or contact details.
struct NotificationBody: Codable, Sendable {
    var event: String
    var messageId: String
    var ticketId: Int64
    var audience: String
    var category: String?
    var subcategory: String?
    var level: Int?
    var department: String?
    /// The first response promised to the customer, in seconds from receipt.
    var firstResponseSeconds: Int64?
    var firstResponseDueAt: Date?
    var metric: String?
    var step: Int?
    var notify: String?
    var dueAt: Date?
    var escalatedAt: Date?

    /// The customer's acknowledgement of a classified ticket.
    static func acknowledgement(_ event: TicketClassified, messageId: String) -> NotificationBody {
        let promise = SLATargets.default(for: event.level, tier: event.customerTier).duration(for: .firstResponse)
        let seconds = promise.map { $0.components.seconds }
        return NotificationBody(
            event: TicketClassified.type.rawValue, messageId: messageId, ticketId: event.ticketId, audience: Audience.customer.rawValue,
            category: event.category.rawValue, subcategory: event.subcategory, level: event.level.rawValue, department: event.department,
            firstResponseSeconds: seconds, firstResponseDueAt: seconds.map { event.receivedAt.addingTimeInterval(TimeInterval($0)) }
        )
    }

    /// Staff's notice that a clock climbed a step of the escalation ladder.
    static func escalation(_ event: TicketEscalated, messageId: String) -> NotificationBody {
        NotificationBody(
            event: TicketEscalated.type.rawValue, messageId: messageId, ticketId: event.ticketId, audience: Audience.staff.rawValue,
            department: event.department, metric: event.metric.rawValue, step: event.step, notify: event.notify,
            dueAt: event.dueAt, escalatedAt: event.escalatedAt
        )
    }

    func encoded() throws -> String {
        String(decoding: try FeedloopJSON.encoder().encode(self), as: UTF8.self)
    }
}

/// Who a notification is for; the raw value is stored in `notifications.audience`.
enum Audience: String, Sendable {
    case customer, staff
}
