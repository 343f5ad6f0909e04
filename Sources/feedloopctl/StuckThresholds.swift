import FeedloopRuntime

/// How long each step may take before a ticket counts as stuck, in seconds. Each comes from
/// its option, else its FEEDLOOP_STUCK_* variable, else the default, so `status`, `stuck` and
/// `requeue` agree on what stuck means on one installation.
struct StuckThresholds: Sendable, Encodable, Equatable {
    /// `received` for longer than this: waiting for the classifier.
    var received: Double = 60
    /// Classified this long ago and still no SLA clocks.
    var withoutClocks: Double = 60
    /// `open` this long without the acknowledgement notification.
    var unacknowledged: Double = 60
    /// `resolved` this long without the follow-up notification.
    var followUp: Double = 300
    /// A clock's next warning or ladder step overdue by more than this.
    var escalationLate: Double = 60
    /// A pending notification past its next attempt by more than this.
    var notificationLate: Double = 300

    /// Every threshold with its variable, for help texts and errors.
    static var variables: [(name: String, keyPath: WritableKeyPath<StuckThresholds, Double>)] {
        [
            ("FEEDLOOP_STUCK_RECEIVED_S", \.received),
            ("FEEDLOOP_STUCK_WITHOUT_CLOCKS_S", \.withoutClocks),
            ("FEEDLOOP_STUCK_UNACKNOWLEDGED_S", \.unacknowledged),
            ("FEEDLOOP_STUCK_FOLLOW_UP_S", \.followUp),
            ("FEEDLOOP_STUCK_ESCALATION_LATE_S", \.escalationLate),
            ("FEEDLOOP_STUCK_NOTIFICATION_LATE_S", \.notificationLate),
        ]
    }

    /// Every threshold set to `seconds` (requeue's --older-than).
    static func uniform(_ seconds: Double) -> StuckThresholds {
        var t = StuckThresholds()
        for v in variables { t[keyPath: v.keyPath] = seconds }
        return t
    }

    /// Defaults overridden by the environment; a malformed variable is an error naming it.
    static func fromEnvironment(_ environment: Environment = Environment()) throws -> StuckThresholds {
        var t = StuckThresholds()
        for v in variables {
            guard let raw = environment.optionalString(v.name) else { continue }
            guard let seconds = Double(raw.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite else {
                throw CtlError("invalid \(v.name): expected a number of seconds, 0 or more, got \"\(raw)\"")
            }
            t[keyPath: v.keyPath] = seconds
        }
        return t
    }

    func seconds(for step: WaitingStep) -> Double {
        switch step {
        case .classification: received
        case .slaClocks: withoutClocks
        case .acknowledgement: unacknowledged
        case .followUp: followUp
        case .escalation: escalationLate
        case .notificationDelivery: notificationLate
        }
    }
}
