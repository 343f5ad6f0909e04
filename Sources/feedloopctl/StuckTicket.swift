import FeedloopRuntime

/// A ticket whose next step has not happened in time, and that step. A ticket may be listed
/// more than once (an `open` ticket without clocks and without acknowledgement).
struct StuckTicket: Codable, Sendable, Equatable {
    var ticketId: Int64
    var state: String
    /// Seconds the ticket has waited: since it entered its state, or, for a late escalation or
    /// notification, since that step fell due.
    var ageSeconds: Double
    var waitingFor: WaitingStep
    /// The notification rows overdue for delivery (only for ``WaitingStep/notificationDelivery``).
    var notificationIds: [Int64]?
}

/// The step a stuck ticket waits for, and who performs it.
enum WaitingStep: String, Codable, Sendable, CaseIterable {
    /// `received`, not yet classified.
    case classification
    /// Classified (open and later, not yet resolved) without SLA clocks.
    case slaClocks = "sla_clocks"
    /// `open` without the customer's acknowledgement notification.
    case acknowledgement
    /// `resolved` without the customer's follow-up (the resolution notice with its rating link).
    case followUp = "follow_up"
    /// An SLA clock's warning or ladder step fell due and the escalator has not fired it.
    case escalation
    /// A pending notification is past its next attempt and the notifier has not tried it.
    case notificationDelivery = "notification_delivery"

    /// The worker role whose queue gets the republished message.
    var role: WorkerRole {
        switch self {
        case .classification: .classifier
        case .slaClocks, .escalation: .escalator
        case .acknowledgement, .followUp, .notificationDelivery: .notifier
        }
    }

    /// False when no message can move the step: the escalator finds due clocks by scanning
    /// the database, so only a running escalator helps.
    var isRequeueable: Bool { self != .escalation }

    /// The ticket states in which a ticket can wait for this step.
    var states: [String] {
        switch self {
        case .classification: ["received"]
        case .slaClocks: ["open", "acknowledged", "in_progress", "waiting_customer"]
        case .acknowledgement: ["open"]
        case .followUp: ["resolved"]
        case .escalation, .notificationDelivery: []
        }
    }

    /// For the human view.
    var summary: String {
        switch self {
        case .classification: "classifier (classification)"
        case .slaClocks: "escalator (SLA clocks)"
        case .acknowledgement: "notifier (acknowledgement)"
        case .followUp: "notifier (resolution follow-up)"
        case .escalation: "escalator (due warning/escalation)"
        case .notificationDelivery: "notifier (delivery past next attempt)"
        }
    }
}
