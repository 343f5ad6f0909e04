import Foundation

/// Everything the escalator holds tickets to: calendars, policies per level and tier, the
/// warning share and the escalation ladders. Loaded from YAML (`config/sla.yaml`, format in
/// docs/SLA.md) and validated at start; ``fingerprint`` is what a policy change is detected by.
public struct SLAConfiguration: Hashable, Sendable {
    /// Share of a target used at which the one warning is sent (0.8: at 80 %).
    public var warningShare: Double
    public var calendars: [String: BusinessCalendar]
    public var policies: [SLAPolicy]
    /// The ladder of departments not listed in ``departmentLadders``.
    public var defaultLadder: EscalationLadder
    public var departmentLadders: [String: EscalationLadder]

    public init(
        warningShare: Double, calendars: [String: BusinessCalendar], policies: [SLAPolicy], defaultLadder: EscalationLadder,
        departmentLadders: [String: EscalationLadder] = [:]
    ) {
        self.warningShare = warningShare
        self.calendars = calendars
        self.policies = policies
        self.defaultLadder = defaultLadder
        self.departmentLadders = departmentLadders
    }

    /// The policy for a ticket: the tier's own lane when there is one, else the level's.
    public func policy(level: Level, tier: CustomerTier?) -> SLAPolicy? {
        if let tier, let lane = policies.first(where: { $0.level == level && $0.tier == tier }) { return lane }
        return policies.first { $0.level == level && $0.tier == nil }
    }

    /// The calendar named `id`; a 24×7 calendar when it is unknown (``validate()`` refuses
    /// configurations whose policies name a calendar that does not exist).
    public func calendar(_ id: String) -> BusinessCalendar {
        calendars[id] ?? .twentyFourSeven(id: id)
    }

    public func ladder(for department: String?) -> EscalationLadder {
        department.flatMap { departmentLadders[$0] } ?? defaultLadder
    }

    /// Every problem, one readable line each; empty when the configuration can be used.
    public func validate() -> [String] {
        var problems: [String] = []
        if !(warningShare > 0 && warningShare < 1) {
            problems.append("warning_share must be between 0 and 1 (exclusive), got \(warningShare)")
        }
        for id in calendars.keys.sorted() {
            problems += calendars[id]!.validate()
        }
        for level in Level.allCases where policy(level: level, tier: nil) == nil {
            problems.append("no policy for level \(level.rawValue) (every level needs one without a tier)")
        }
        var seen = Set<String>()
        for policy in policies {
            if !seen.insert(policy.name).inserted { problems.append("\(policy.name) has two policies") }
            if calendars[policy.calendar] == nil {
                problems.append("\(policy.name): unknown calendar \"\(policy.calendar)\"")
            }
            if policy.targets[.firstResponse] == nil && policy.targets[.resolution] == nil && policy.tier == nil {
                problems.append("\(policy.name) has neither a first-response nor a resolution target")
            }
            for (metric, seconds) in policy.targets where !(seconds > 0) || !seconds.isFinite {
                problems.append("\(policy.name): the \(metric.rawValue) target must be positive")
            }
        }
        problems += defaultLadder.validate(what: "default ladder")
        for department in departmentLadders.keys.sorted() {
            problems += departmentLadders[department]!.validate(what: "ladder of \(department)")
        }
        return problems
    }

    /// A drill's configuration: targets and fixed ladder delays multiplied by `factor`, and every
    /// calendar around the clock, since compressed minutes of working hours mean nothing.
    public func scaled(by factor: Double) -> SLAConfiguration {
        guard factor != 1 else { return self }
        var copy = self
        copy.calendars = calendars.mapValues { .twentyFourSeven(id: $0.id, timeZone: $0.timeZone) }
        copy.policies = policies.map { policy in
            var p = policy
            p.targets = p.targets.mapValues { $0 * factor }
            return p
        }
        copy.defaultLadder = defaultLadder.scaled(by: factor)
        copy.departmentLadders = departmentLadders.mapValues { $0.scaled(by: factor) }
        return copy
    }

    /// A canonical text of everything that changes a deadline or a ladder, in a fixed order:
    /// two configurations with the same fingerprint hold tickets to the same deadlines.
    public var fingerprint: String {
        var lines = ["warning_share \(warningShare)"]
        for id in calendars.keys.sorted() {
            let c = calendars[id]!
            if c.alwaysOpen {
                lines.append("calendar \(id) 24x7 \(c.timeZone.identifier)")
                continue
            }
            lines.append("calendar \(id) \(c.timeZone.identifier)")
            for (i, day) in c.weekly.enumerated() { lines.append("  day \(i + 1) \(day.map(\.description).joined(separator: ","))") }
            lines.append("  holidays \(c.holidays.sorted().map(\.description).joined(separator: ","))")
            lines.append("  make_up \(c.makeUpDays.sorted().map(\.description).joined(separator: ","))")
            lines.append("  make_up_hours \(c.makeUpHours.map(\.description).joined(separator: ","))")
        }
        let sorted = policies.sorted { ($0.level.rawValue, $0.tier?.rawValue ?? "") < ($1.level.rawValue, $1.tier?.rawValue ?? "") }
        for p in sorted {
            let targets = SLAMetric.allCases.compactMap { m in p.targets[m].map { "\(m.rawValue)=\($0)" } }
            lines.append("policy \(p.name) on \(p.calendar): \(targets.joined(separator: " "))")
        }
        func ladder(_ l: EscalationLadder) -> String { l.steps.map { "\($0.notify)@\($0.afterDue)" }.joined(separator: " ") }
        lines.append("ladder * \(ladder(defaultLadder))")
        for d in departmentLadders.keys.sorted() { lines.append("ladder \(d) \(ladder(departmentLadders[d]!))") }
        return lines.joined(separator: "\n")
    }
}
