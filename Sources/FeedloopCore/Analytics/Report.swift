import Foundation

/// Every figure of the weekly and monthly report (issue 6 "Figures") for one period and
/// filter, each beside its value for the previous period of the same length.
///
/// Built from the rollup tables by `ReportBuilder` (FeedloopRuntime) and rendered as JSON,
/// CSV, Markdown, HTML and the dashboard. Counts are of events in the period: a ticket is
/// "new" on the day it was received, "resolved" on the day it was resolved, and so on; times
/// are in seconds of wall-clock time; shares and rates are fractions 0…1.
///
/// The shape only grows: fields are added, never renamed or removed.
public struct Report: Codable, Sendable {
    /// Version of this shape, raised when fields are added.
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var period: ReportPeriod
    public var previousPeriod: ReportPeriod
    public var filter: ReportFilter
    public var generatedAt: Date
    public var volumes: ReportVolumes
    /// First-response, plan and resolution times, one entry per SLA metric.
    public var times: [ReportDuration]
    /// Per metric (level nil) and per metric and level.
    public var slaCompliance: [ReportSLACompliance]
    /// Warnings (the clock used its warning share) per metric.
    public var warnings: [ReportMetricCount]
    /// Escalations per metric and ladder step.
    public var escalationSteps: [ReportEscalationStep]
    public var rectification: ReportRectification
    /// One table per dimension: department, channel, category, level, tier.
    public var breakdowns: [ReportBreakdown]
    /// One point per day of the period, for charts.
    public var series: [ReportDailyPoint]
    /// The same days of the previous period, for a comparison line.
    public var previousSeries: [ReportDailyPoint]
    /// Most frequent sub-categories, largest first, with masked example tickets.
    public var topProblems: [ReportProblem]
    /// Incident clusters active in the period, largest first.
    public var incidents: [ReportIncident]
    /// Most frequent keywords, largest first, with masked example tickets.
    public var topKeywords: [ReportKeyword]
    public var satisfaction: ReportSatisfaction
    /// What the filter could not narrow (the rollups of times and keywords have fewer
    /// dimensions), in words; empty without a filter.
    public var notes: [String] = []

    public init(
        period: ReportPeriod, filter: ReportFilter, generatedAt: Date, volumes: ReportVolumes, times: [ReportDuration],
        slaCompliance: [ReportSLACompliance], warnings: [ReportMetricCount], escalationSteps: [ReportEscalationStep],
        rectification: ReportRectification, breakdowns: [ReportBreakdown], series: [ReportDailyPoint], previousSeries: [ReportDailyPoint],
        topProblems: [ReportProblem], incidents: [ReportIncident], topKeywords: [ReportKeyword], satisfaction: ReportSatisfaction
    ) {
        self.schemaVersion = Report.schemaVersion
        self.period = period
        self.previousPeriod = period.previous
        self.filter = filter
        self.generatedAt = generatedAt
        self.volumes = volumes
        self.times = times
        self.slaCompliance = slaCompliance
        self.warnings = warnings
        self.escalationSteps = escalationSteps
        self.rectification = rectification
        self.breakdowns = breakdowns
        self.series = series
        self.previousSeries = previousSeries
        self.topProblems = topProblems
        self.incidents = incidents
        self.topKeywords = topKeywords
        self.satisfaction = satisfaction
    }
}
