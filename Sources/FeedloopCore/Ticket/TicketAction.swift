/// What staff (or the satisfaction loop) do to a ticket. Each action is one API route, one
/// `feedloopctl ticket` subcommand and one event type, and decides the ticket's next state.
public enum TicketAction: String, Codable, CaseIterable, Sendable {
    /// Hands the ticket to a person; the state does not change.
    case assign
    /// A reply the customer sees: the first one meets the first-response clock.
    case respond
    /// A rectification plan recorded on the ticket: meets the plan clock.
    case plan
    /// Waiting for the customer: the ticket's clocks pause.
    case waitCustomer = "wait_customer"
    /// The customer answered: the clocks run again.
    case customerReply = "customer_reply"
    /// Meets the resolution clock and asks the customer to rate the solution.
    case resolve
    /// The customer was not satisfied: the resolution clock starts again.
    case reopen
    /// Finished for good.
    case close

    /// The event that records the action.
    public var eventType: EventType {
        switch self {
        case .assign: return .ticketAssigned
        case .respond: return .ticketResponded
        case .plan: return .ticketPlanRecorded
        case .waitCustomer: return .ticketWaitingCustomer
        case .customerReply: return .ticketCustomerReplied
        case .resolve: return .ticketResolved
        case .reopen: return .ticketReopened
        case .close: return .ticketClosed
        }
    }

    /// The URL path segment and CLI subcommand (`wait-customer`, `customer-reply`).
    public var pathComponent: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    /// Whether the action must carry text: the reply itself, or the plan.
    public var requiresNote: Bool { self == .respond || self == .plan }

    /// The state the ticket moves to from `state`, or nil when it stays where it is (a second
    /// reply, a plan for a ticket already in progress, an assignment); throws why the action is
    /// not allowed, in the words of ``TicketStateMachine``.
    public func nextState(from state: TicketState) throws -> TicketState? {
        switch self {
        case .assign:
            if state.isTerminal || state == .received {
                throw TicketTransitionError(
                    code: state.isTerminal ? .terminalState : .notAllowed, from: state, to: state,
                    reason: state.isTerminal ? "a \(state.rawValue) ticket cannot be assigned" : "a received ticket must be classified first")
            }
            return nil
        case .respond:
            if state == .acknowledged || state == .inProgress { return nil }
            return try TicketStateMachine.transition(from: state, to: .acknowledged)
        case .plan:
            if state == .inProgress { return nil }
            return try TicketStateMachine.transition(from: state, to: .inProgress)
        case .customerReply:
            guard state == .waitingCustomer else {
                throw TicketTransitionError(
                    code: state.isTerminal ? .terminalState : .notAllowed, from: state, to: .inProgress,
                    reason: "the ticket is \(state.rawValue), not waiting for the customer")
            }
            return .inProgress
        case .waitCustomer:
            return try TicketStateMachine.transition(from: state, to: .waitingCustomer)
        case .resolve:
            return try TicketStateMachine.transition(from: state, to: .resolved)
        case .reopen:
            return try TicketStateMachine.transition(from: state, to: .reopened)
        case .close:
            return try TicketStateMachine.transition(from: state, to: .closed)
        }
    }
}
