/// Where a ticket is in its lifecycle; the raw value is what the database and events store.
public enum TicketState: String, Codable, CaseIterable, Sendable {
    /// Taken in by the producer, not yet classified.
    case received
    /// Classified, graded and routed; waiting for staff.
    case open
    /// Staff replied to the customer (the first response).
    case acknowledged
    /// Staff are working on it.
    case inProgress = "in_progress"
    /// Waiting for the customer to answer; SLA clocks are paused.
    case waitingCustomer = "waiting_customer"
    /// Staff consider it solved; the customer is asked to rate the solution.
    case resolved
    /// Finished for good.
    case closed
    /// The customer was not satisfied with the resolution.
    case reopened
    /// The classifier found it repeats an existing ticket.
    case duplicate
    /// The classifier refused it (spam, empty, abusive).
    case rejected

    /// No transition leaves a terminal state.
    public var isTerminal: Bool {
        switch self {
        case .closed, .duplicate, .rejected:
            return true
        case .received, .open, .acknowledged, .inProgress, .waitingCustomer, .resolved, .reopened:
            return false
        }
    }

    /// Whether SLA clocks stop running while the ticket is in this state.
    public var pausesSLA: Bool {
        switch self {
        case .waitingCustomer:
            return true
        case .received, .open, .acknowledged, .inProgress, .resolved, .closed, .reopened, .duplicate, .rejected:
            return false
        }
    }
}
