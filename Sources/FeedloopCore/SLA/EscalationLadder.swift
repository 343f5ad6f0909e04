/// Who is notified as an overdue clock climbs: step 1 at the due time, each later step after a
/// further delay measured as a share of the clock's target (so a 2-hour clock climbs faster than
/// a 30-day one).
public struct EscalationLadder: Hashable, Sendable {
    public struct Step: Hashable, Sendable {
        /// The role notified at this step (`assignee`, `department_head`, `director`).
        public var notify: String
        /// Delay after the due time, as a fraction of the clock's target.
        public var afterDueShare: Double

        public init(notify: String, afterDueShare: Double) {
            self.notify = notify
            self.afterDueShare = afterDueShare
        }
    }

    /// In order; step numbers start at 1.
    public var steps: [Step]

    public init(steps: [Step]) {
        precondition(!steps.isEmpty, "an escalation ladder needs at least one step")
        self.steps = steps
    }

    /// Assignee / team lead at breach, department head after half the target again, director
    /// after a whole target again.
    public static let `default` = EscalationLadder(steps: [
        Step(notify: "assignee", afterDueShare: 0),
        Step(notify: "department_head", afterDueShare: 0.5),
        Step(notify: "director", afterDueShare: 1.0),
    ])

    /// Step `number` (1-based), or nil past the top of the ladder.
    public func step(_ number: Int) -> Step? {
        steps.indices.contains(number - 1) ? steps[number - 1] : nil
    }

    /// Seconds after the due time at which step `number` fires, for a clock of `targetSeconds`.
    public func offset(ofStep number: Int, targetSeconds: Double) -> Double? {
        step(number).map { $0.afterDueShare * targetSeconds }
    }
}
