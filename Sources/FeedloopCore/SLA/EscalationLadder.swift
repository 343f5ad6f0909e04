/// Who is notified as an overdue clock climbs: step 1 at the due time, each later step after a
/// further delay. A delay is either a fixed amount of working time (`1h` after due) or a share of
/// the clock's target (so a 2-hour clock climbs faster than a 30-day one).
public struct EscalationLadder: Hashable, Sendable {
    /// How long after the due time a step fires.
    public enum Delay: Hashable, Sendable, CustomStringConvertible {
        /// Working seconds after the due time.
        case seconds(Double)
        /// A fraction of the clock's target after the due time.
        case share(Double)

        public var description: String {
            switch self {
            case .seconds(let s): return SLADurationText.format(s)
            case .share(let f): return "\(SLADurationText.number(f * 100))%"
            }
        }
    }

    public struct Step: Hashable, Sendable {
        /// The person or role notified at this step (`assignee`, `department_head`, `director`,
        /// or a name such as `ops.director`).
        public var notify: String
        /// Delay after the due time.
        public var afterDue: Delay

        public init(notify: String, afterDue: Delay) {
            self.notify = notify
            self.afterDue = afterDue
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
        Step(notify: "assignee", afterDue: .seconds(0)),
        Step(notify: "department_head", afterDue: .share(0.5)),
        Step(notify: "director", afterDue: .share(1.0)),
    ])

    /// Step `number` (1-based), or nil past the top of the ladder.
    public func step(_ number: Int) -> Step? {
        steps.indices.contains(number - 1) ? steps[number - 1] : nil
    }

    /// Working seconds after the due time at which step `number` fires, for a clock of
    /// `targetSeconds`; nil past the top of the ladder.
    public func offset(ofStep number: Int, targetSeconds: Double) -> Double? {
        step(number).map { step in
            switch step.afterDue {
            case .seconds(let s): return s
            case .share(let f): return f * targetSeconds
            }
        }
    }

    /// Problems with the ladder, one readable line each: delays must not be negative and must
    /// not go down from one step to the next (a later step never fires first).
    public func validate(what: String) -> [String] {
        var problems: [String] = []
        for (i, step) in steps.enumerated() {
            switch step.afterDue {
            case .seconds(let s) where s < 0, .share(let s) where s < 0:
                problems.append("\(what) step \(i + 1): the delay after due must not be negative")
            default: break
            }
            if step.notify.isEmpty { problems.append("\(what) step \(i + 1): notify must name a person or role") }
        }
        return problems
    }

    /// The same ladder with fixed delays multiplied by `factor` (drills compress time).
    public func scaled(by factor: Double) -> EscalationLadder {
        EscalationLadder(
            steps: steps.map { step in
                guard case .seconds(let s) = step.afterDue else { return step }
                return Step(notify: step.notify, afterDue: .seconds(s * factor))
            })
    }
}
