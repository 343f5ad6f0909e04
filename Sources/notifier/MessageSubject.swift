import FeedloopCore
import Foundation

/// What one notification is about, typed; ``TemplateContext`` turns it into template variables.
enum MessageSubject: Sendable {
    case classified(TicketClassified)
    case slaWarning(TicketSLAWarning)
    /// With the ticket's earlier escalation steps, oldest first.
    case escalated(TicketEscalated, history: [EscalationRecord])
    /// responded, plan_recorded, resolved, reopened; a resolved ticket's customer message
    /// carries the rating link.
    case acted(TicketActed, surveyLink: SurveyLinkOffer?)
    /// A valid answer at or below the unhappy score; `reopened` tells whether the loop reopened
    /// the ticket (it may have been reopened or closed already).
    case unhappy(SurveyAnswered, threshold: Int, reopened: Bool)

    /// The event type whose templates render it.
    var eventType: EventType {
        switch self {
        case .classified: return .ticketClassified
        case .slaWarning: return .ticketSLAWarning
        case .escalated: return .ticketEscalated
        case .acted(let event, _): return event.eventType
        case .unhappy: return .surveyAnswered
        }
    }
}

/// An earlier step of a ticket's escalation, from the `escalations` table.
struct EscalationRecord: Sendable {
    var metric: String
    var step: Int
    var notify: String
    var escalatedAt: Date
}

/// The rating invitation of a resolved ticket.
struct SurveyLinkOffer: Sendable {
    var url: String
    var expiresAt: Date
}
