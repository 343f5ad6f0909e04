/// Times from receipt to the first reply, the plan and the resolution, for the clocks that
/// stopped in the period; from log-scale histograms, so within 5 % of the exact value.
public struct ReportDuration: Hashable, Codable, Sendable {
    public var metric: SLAMetric
    /// Clocks stopped in the period.
    public var count: Figure
    /// Seconds.
    public var median: Figure
    /// Seconds.
    public var p90: Figure

    public init(metric: SLAMetric, count: Figure, median: Figure, p90: Figure) {
        self.metric = metric
        self.count = count
        self.median = median
        self.p90 = p90
    }
}

/// How many clocks stopped in the period met their due time.
public struct ReportSLACompliance: Hashable, Codable, Sendable {
    public var metric: SLAMetric
    /// Nil for all levels together.
    public var level: Level?
    public var met: Figure
    public var breached: Figure
    /// `met / (met + breached)`.
    public var compliance: Figure

    public init(metric: SLAMetric, level: Level?, met: Figure, breached: Figure, compliance: Figure) {
        self.metric = metric
        self.level = level
        self.met = met
        self.breached = breached
        self.compliance = compliance
    }
}

/// A count per SLA metric.
public struct ReportMetricCount: Hashable, Codable, Sendable {
    public var metric: SLAMetric
    public var count: Figure

    public init(metric: SLAMetric, count: Figure) {
        self.metric = metric
        self.count = count
    }
}

/// Escalations that reached one step of the ladder in the period.
public struct ReportEscalationStep: Hashable, Codable, Sendable {
    public var metric: SLAMetric
    /// 1 is the first step (the clock's breach).
    public var step: Int
    public var count: Figure

    public init(metric: SLAMetric, step: Int, count: Figure) {
        self.metric = metric
        self.step = step
        self.count = count
    }
}

/// Rectification (整改) completion: of the resolution clocks due in the period, how many
/// were resolved by their due time.
public struct ReportRectification: Hashable, Codable, Sendable {
    /// Resolution clocks whose due time falls in the period.
    public var due: Figure
    /// Of those, resolved on or before the due time.
    public var resolvedOnTime: Figure
    /// `resolvedOnTime / due`.
    public var rate: Figure

    public init(due: Figure, resolvedOnTime: Figure, rate: Figure) {
        self.due = due
        self.resolvedOnTime = resolvedOnTime
        self.rate = rate
    }
}
