import FeedloopRuntime

/// A ticket that has sat in its state longer than the next step should take, and that step.
/// A ticket may be listed twice (an `open` ticket without clocks and without acknowledgement).
struct StuckTicket: Codable, Sendable, Equatable {
    var ticketId: Int64
    var state: String
    /// Seconds since the ticket entered its state.
    var ageSeconds: Double
    var waitingFor: WaitingStep
}

/// The step a stuck ticket waits for, and who performs it.
enum WaitingStep: String, Codable, Sendable, CaseIterable {
    /// `received`, not yet classified.
    case classification
    /// `open` without SLA clocks.
    case slaClocks = "sla_clocks"
    /// `open` without the customer's acknowledgement notification.
    case acknowledgement

    /// The worker role whose queue gets the republished event.
    var role: WorkerRole {
        switch self {
        case .classification: .classifier
        case .slaClocks: .escalator
        case .acknowledgement: .notifier
        }
    }

    /// For the human view.
    var summary: String {
        switch self {
        case .classification: "classifier (classification)"
        case .slaClocks: "escalator (SLA clocks)"
        case .acknowledgement: "notifier (acknowledgement)"
        }
    }
}
