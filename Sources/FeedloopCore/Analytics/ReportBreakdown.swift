/// A dimension a breakdown table is by.
public enum ReportDimension: String, Codable, CaseIterable, Sendable {
    case department, channel, category, level, tier
}

/// One table: the period's figures per value of a dimension, largest first.
public struct ReportBreakdown: Hashable, Codable, Sendable {
    public var dimension: ReportDimension
    public var rows: [ReportBreakdownRow]

    public init(dimension: ReportDimension, rows: [ReportBreakdownRow]) {
        self.dimension = dimension
        self.rows = rows
    }
}

/// One value of a dimension (`hotline`, `2`, `vip`, a department; `unknown` for tickets
/// without it, such as unclassified ones by category).
public struct ReportBreakdownRow: Hashable, Codable, Sendable {
    public var key: String
    public var received: Figure
    /// Of all tickets received in the period.
    public var share: Figure
    public var resolved: Figure
    public var escalated: Figure
    public var reopened: Figure
    /// Clocks of all metrics met, of those stopped, in the period.
    public var slaCompliance: Figure

    public init(key: String, received: Figure, share: Figure, resolved: Figure, escalated: Figure, reopened: Figure, slaCompliance: Figure) {
        self.key = key
        self.received = received
        self.share = share
        self.resolved = resolved
        self.escalated = escalated
        self.reopened = reopened
        self.slaCompliance = slaCompliance
    }
}

/// One day's counts, for charts.
public struct ReportDailyPoint: Hashable, Codable, Sendable {
    public var day: String
    public var received: Int64
    public var resolved: Int64
    public var escalated: Int64
    public var warnings: Int64
    public var reopened: Int64
    /// Valid survey answers.
    public var answers: Int64
    /// Share of valid answers with overall 4–5; nil without answers.
    public var csat: Double?

    public init(day: String, received: Int64, resolved: Int64, escalated: Int64, warnings: Int64, reopened: Int64, answers: Int64, csat: Double?) {
        self.day = day
        self.received = received
        self.resolved = resolved
        self.escalated = escalated
        self.warnings = warnings
        self.reopened = reopened
        self.answers = answers
        self.csat = csat
    }
}
