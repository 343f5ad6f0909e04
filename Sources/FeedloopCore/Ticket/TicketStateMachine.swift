/// The ticket lifecycle as a pure value: which state changes are allowed, and why not.
///
/// Main path: received → open → acknowledged → in_progress → resolved → closed.
///
/// Decisions worth knowing:
/// - `open` cannot go straight to `resolved`: a resolution must follow a customer-visible
///   first response (`acknowledged`) or work on it (`in_progress`), otherwise the first-response
///   clock would never stop and the customer would be told "solved" before being heard.
/// - `duplicate` and `rejected` are the classifier's verdicts on a `received` item only; a ticket
///   that staff already hold is resolved or closed instead.
/// - `waiting_customer` returns to `in_progress` or `acknowledged` when the customer answers; it
///   never resolves directly, because the answer has to be looked at first.
/// - `reopened` (an unhappy rating) may go back to work, to a fresh acknowledgement, to waiting
///   on the customer, or be resolved again.
/// - Staying in the same state is not a transition; idempotent consumers check the current
///   state before asking.
public enum TicketStateMachine {
    /// The states a ticket may move to from `state`, in lifecycle order.
    public static func successors(of state: TicketState) -> [TicketState] {
        switch state {
        case .received:
            return [.open, .duplicate, .rejected]
        case .open:
            return [.acknowledged, .inProgress, .waitingCustomer]
        case .acknowledged:
            return [.inProgress, .waitingCustomer, .resolved]
        case .inProgress:
            return [.waitingCustomer, .resolved]
        case .waitingCustomer:
            return [.acknowledged, .inProgress]
        case .resolved:
            return [.closed, .reopened]
        case .reopened:
            return [.acknowledged, .inProgress, .waitingCustomer, .resolved]
        case .closed, .duplicate, .rejected:
            return []
        }
    }

    /// Whether the lifecycle allows moving from `from` to `to`.
    public static func canTransition(from: TicketState, to: TicketState) -> Bool {
        self.successors(of: from).contains(to)
    }

    /// Returns `to` when the move is allowed, otherwise throws why it is not.
    @discardableResult
    public static func transition(from: TicketState, to: TicketState) throws -> TicketState {
        if self.canTransition(from: from, to: to) {
            return to
        }
        if from.isTerminal {
            throw TicketTransitionError(
                code: .terminalState, from: from, to: to,
                reason: "a \(from.rawValue) ticket cannot change state"
            )
        }
        if from == to {
            throw TicketTransitionError(
                code: .sameState, from: from, to: to,
                reason: "the ticket is already \(from.rawValue)"
            )
        }
        throw TicketTransitionError(code: .notAllowed, from: from, to: to, reason: self.explanation(from: from, to: to))
    }

    /// Reasons for the refusals people are most likely to hit, the rest get a generic one.
    private static func explanation(from: TicketState, to: TicketState) -> String {
        switch (from, to) {
        case (.open, .resolved):
            return "acknowledge the customer or start work before resolving"
        case (_, .duplicate), (_, .rejected):
            return "only a received ticket can be marked \(to.rawValue) by the classifier"
        case (_, .reopened):
            return "only a resolved ticket can be reopened"
        case (_, .closed):
            return "only a resolved ticket can be closed"
        case (.received, _):
            return "a received ticket must be classified first"
        case (_, .received), (_, .open):
            return "a ticket never returns to \(to.rawValue)"
        default:
            let allowed = self.successors(of: from).map(\.rawValue).joined(separator: ", ")
            return "from \(from.rawValue) the ticket can only move to \(allowed)"
        }
    }
}
