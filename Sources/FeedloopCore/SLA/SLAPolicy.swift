/// The deadlines for tickets of one level (and, optionally, one customer tier): working
/// seconds per metric on a named calendar. A metric without a target has no clock (level 2
/// has no plan deadline).
public struct SLAPolicy: Hashable, Sendable {
    public var level: Level
    /// The tier this policy is the dedicated lane of; nil for every tier without its own.
    public var tier: CustomerTier?
    /// The id of the ``BusinessCalendar`` the targets are measured on.
    public var calendar: String
    /// Working seconds allowed per metric.
    public var targets: [SLAMetric: Double]

    public init(level: Level, tier: CustomerTier? = nil, calendar: String, targets: [SLAMetric: Double]) {
        self.level = level
        self.tier = tier
        self.calendar = calendar
        self.targets = targets
    }

    /// How the policy is named in messages: `level 1` or `level 1 vip`.
    public var name: String { "level \(level.rawValue)" + (tier.map { " \($0.rawValue)" } ?? "") }
}
