import Foundation

/// How long a ticket may take for each SLA metric, measured from its creation.
///
/// These are wall-clock durations. Business calendars (working hours, holidays, 调休) come
/// later; until then "3 working days" is approximated as 72 hours and "the next monthly
/// review" as 30 days, and pauses in `waiting_customer` are the clock's job, not this type's.
public struct SLATargets: Hashable, Sendable {
    /// The target per metric; a metric that is absent has no deadline (e.g. no plan for level 2).
    public var durations: [SLAMetric: Duration]

    /// Creates targets.
    public init(durations: [SLAMetric: Duration]) {
        self.durations = durations
    }

    /// The target for `metric`, if it has one.
    public func duration(for metric: SLAMetric) -> Duration? {
        self.durations[metric]
    }

    /// VIP customers' dedicated lane: a first response within this time, whatever the level.
    public static let vipFirstResponse: Duration = .seconds(15 * 60)

    /// The default clocks of ARCHITECTURE §1 for a level, with the VIP first-response lane.
    public static func `default`(for level: Level, tier: CustomerTier?) -> SLATargets {
        let hour = 3600
        var durations: [SLAMetric: Duration]
        switch level {
        case .urgent:
            durations = [.firstResponse: .seconds(2 * hour), .plan: .seconds(24 * hour), .resolution: .seconds(48 * hour)]
        case .important:
            durations = [.firstResponse: .seconds(4 * hour), .resolution: .seconds(72 * hour)]
        case .general:
            durations = [.firstResponse: .seconds(8 * hour), .resolution: .seconds(30 * 24 * hour)]
        }
        if tier == .vip, let current = durations[.firstResponse], current > self.vipFirstResponse {
            durations[.firstResponse] = self.vipFirstResponse
        }
        return SLATargets(durations: durations)
    }

    /// The due time of each metric that has a target, in ``SLAMetric`` order.
    public func dueDates(from start: Date) -> [(metric: SLAMetric, due: Date)] {
        SLAMetric.allCases.compactMap { metric in
            guard let d = self.durations[metric] else { return nil }
            return (metric, start.addingTimeInterval(d.timeInterval))
        }
    }
}

extension Duration {
    /// The duration in seconds as Foundation counts them.
    var timeInterval: TimeInterval {
        let c = self.components
        return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) / 1e18
    }
}
