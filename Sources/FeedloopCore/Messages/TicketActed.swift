import Foundation

/// A staff action (or the satisfaction loop's reopen) was applied to a ticket. One payload for
/// all ``TicketAction``s; its event type is the action's, so each travels under its own key.
public struct TicketActed: EventPayload, Equatable {
    public static let type = EventType.ticketAssigned
    public static var types: [EventType] { TicketAction.allCases.map(\.eventType) }
    public static let schemaVersion = 1
    public var ticketId: Int64
    public var action: TicketAction
    /// The row in `ticket_actions`: one event per action, however many replies a ticket gets.
    public var actionId: Int64
    public var fromState: TicketState
    /// Equal to ``fromState`` when the action changed no state (a second reply).
    public var toState: TicketState
    /// Who acted: an API key's name, `feedloopctl:<user>`, or `survey` for the satisfaction loop.
    public var actor: String
    /// The reply or plan text, or why; staff-written, may be shown to the customer.
    public var note: String?
    /// The ticket's assignee after the action.
    public var assignee: String?
    public var department: String?
    public var level: Level?
    public var actedAt: Date

    public var eventType: EventType { action.eventType }
    public var messageDiscriminator: [String] { [String(actionId)] }

    public init(
        ticketId: Int64, action: TicketAction, actionId: Int64, fromState: TicketState, toState: TicketState, actor: String,
        note: String?, assignee: String?, department: String?, level: Level?, actedAt: Date
    ) {
        self.ticketId = ticketId
        self.action = action
        self.actionId = actionId
        self.fromState = fromState
        self.toState = toState
        self.actor = actor
        self.note = note
        self.assignee = assignee
        self.department = department
        self.level = level
        self.actedAt = actedAt
    }
}
