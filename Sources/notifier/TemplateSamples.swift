import FeedloopCore
import FeedloopRuntime
import Foundation

/// Made-up messages of every event the templates are checked against at start: one with
/// every optional part present (so section contents are rendered) and one with every optional
/// part absent (so inverted sections are).
enum TemplateSamples {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func ticket(full: Bool) -> TicketFacts {
        TicketFacts(
            id: 42, channel: "chat", category: "product", subcategory: full ? "quality" : nil, level: full ? .urgent : nil,
            department: "customer_service", assignee: full ? "sample.agent" : nil, state: "open", text: "sample feedback",
            receivedAt: now.addingTimeInterval(-3600),
            customer: full
                ? TicketFacts.Customer(ref: "c-1", tier: "vip", name: "Sample Name", phone: "13800000000", email: "c@example.com", locale: "en")
                : nil)
    }

    static func recipient(full: Bool) -> NotificationRecipient {
        NotificationRecipient(id: "sample", name: full ? "Sample Recipient" : nil, locale: nil, addresses: [:])
    }

    /// The two samples of `event`.
    static func subjects(_ event: EventType) -> [(subject: MessageSubject, full: Bool)] {
        [true, false].map { full in (subject(event, full: full), full) }
    }

    static func subject(_ event: EventType, full: Bool) -> MessageSubject {
        switch event {
        case .ticketClassified:
            return .classified(
                TicketClassified(
                    ticketId: 42, channel: .chat, category: .product, subcategory: full ? "quality" : nil, sentiment: .negative,
                    level: full ? .urgent : .general, levelRule: "sample", department: "customer_service", customerTier: full ? .vip : nil,
                    receivedAt: now, classifiedAt: now))
        case .ticketSLAWarning:
            return .slaWarning(
                TicketSLAWarning(
                    ticketId: 42, metric: .firstResponse, cycle: 1, share: 0.8, dueAt: now.addingTimeInterval(600), department: "customer_service",
                    assignee: full ? "sample.agent" : nil, warnedAt: now))
        case .ticketEscalated:
            let history = full ? [EscalationRecord(metric: "first_response", step: 1, notify: "assignee", escalatedAt: now.addingTimeInterval(-600))] : []
            return .escalated(
                TicketEscalated(
                    ticketId: 42, metric: .firstResponse, step: full ? 2 : 1, notify: "department_head", department: "customer_service",
                    dueAt: now.addingTimeInterval(-1200), escalatedAt: now, cycle: 1, assignee: full ? "sample.agent" : nil,
                    reason: full ? "first response overdue" : nil),
                history: history)
        case .surveyAnswered:
            return .unhappy(
                SurveyAnswered(
                    ticketId: 42, surveyId: "resolution_followup", responseId: "r-1", overall: 1, nps: full ? 2 : nil,
                    scores: full ? [DimensionScore(dimension: "attitude", score: 1)] : [], valid: true, flags: [], submittedAt: now),
                threshold: 2, reopened: full)
        default:
            let action = TicketAction.allCases.first { $0.eventType == event } ?? .respond
            let event = TicketActed(
                ticketId: 42, action: action, actionId: 7, fromState: .open, toState: .acknowledged, actor: full ? "survey" : "agent",
                note: full ? "sample note" : nil, assignee: full ? "sample.agent" : nil, department: "customer_service", level: .important,
                actedAt: now)
            return .acted(event, surveyLink: full ? SurveyLinkOffer(url: "https://example.com/s/token", expiresAt: now) : nil)
        }
    }
}
