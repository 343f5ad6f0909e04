import Foundation

/// Turns the totals of a period and of the period before it into a ``Report``: every division,
/// ranking and comparison happens here, in one pure place that the tests can reach.
public enum ReportAssembler {
    /// Periods longer than this get one series point per month instead of per day.
    public static let longestDailySeries = 92
    public static let topProblemCount = 10
    public static let topKeywordCount = 15

    /// What the report shows about tickets beyond the totals: example tickets (masked) per
    /// problem (`problem:category/subcategory`) and keyword (`keyword:word`), and incidents.
    public struct Extras: Sendable {
        public var examples: [String: [ReportExample]]
        public var incidents: [ReportIncident]
        public init(examples: [String: [ReportExample]] = [:], incidents: [ReportIncident] = []) {
            self.examples = examples
            self.incidents = incidents
        }
    }

    /// The series keys of a period: its days, or its months when it is long.
    public static func seriesKeys(_ period: ReportPeriod) -> [String] {
        if period.dayCount <= longestDailySeries { return period.days.map(\.description) }
        var keys: [String] = []
        for day in period.days {
            let key = monthKey(day)
            if keys.last != key { keys.append(key) }
        }
        return keys
    }

    /// The series key `day` belongs to in `period`.
    public static func seriesKey(_ day: LocalDate, in period: ReportPeriod) -> String {
        period.dayCount <= longestDailySeries ? day.description : monthKey(day)
    }

    static func monthKey(_ day: LocalDate) -> String {
        String(day.year).leftPadded(4) + "-" + String(day.month).leftPadded(2)
    }

    public static func assemble(
        period: ReportPeriod, filter: ReportFilter, current c: ReportTotals, previous p: ReportTotals, extras: Extras = Extras(),
        generatedAt: Date = Date()
    ) -> Report {
        func fig(_ counter: TicketCounter) -> Figure { Figure(count: c.overall[counter], previous: p.overall[counter]) }
        let volumes = ReportVolumes(
            received: fig(.received), classified: fig(.classified), resolved: fig(.resolved), reopened: fig(.reopened), closed: fig(.closed),
            escalated: fig(.escalated), duplicates: Figure(count: c.duplicates, previous: p.duplicates),
            rejected: Figure(count: c.rejected, previous: p.rejected), stillOpen: Figure(count: c.stillOpen, previous: p.stillOpen),
            overdue: Figure(count: c.overdue, previous: p.overdue))

        let times = SLAMetric.allCases.map { metric -> ReportDuration in
            let a = c.durations[metric] ?? [:]
            let b = p.durations[metric] ?? [:]
            return ReportDuration(
                metric: metric, count: Figure(count: a.values.reduce(0, +), previous: b.values.reduce(0, +)),
                median: Figure(DurationHistogram.quantile(a, 0.5), previous: DurationHistogram.quantile(b, 0.5)),
                p90: Figure(DurationHistogram.quantile(a, 0.9), previous: DurationHistogram.quantile(b, 0.9)))
        }

        var sla: [ReportSLACompliance] = []
        for metric in SLAMetric.allCases {
            sla.append(compliance(metric, level: nil, c.overall, p.overall))
            for level in Level.allCases {
                let key = String(level.rawValue)
                sla.append(
                    compliance(
                        metric, level: level, c.byDimension[.level]?[key] ?? TicketCounters(), p.byDimension[.level]?[key] ?? TicketCounters()))
            }
        }

        let warnings = SLAMetric.allCases.map {
            ReportMetricCount(metric: $0, count: Figure(count: c.overall[.warned($0)], previous: p.overall[.warned($0)]))
        }
        let stepKeys = Set(c.escalationSteps.keys).union(p.escalationSteps.keys).sorted()
        let steps = stepKeys.map {
            ReportEscalationStep(metric: $0.metric, step: $0.step, count: Figure(count: c.escalationSteps[$0] ?? 0, previous: p.escalationSteps[$0] ?? 0))
        }

        func rectification(_ t: ReportTotals) -> (due: Int64, onTime: Int64) {
            let breached = t.escalationSteps[ReportTotals.EscalationStepKey(metric: .resolution, step: 1)] ?? 0
            return (t.overall[.resolutionMet] + breached, t.overall[.resolutionMet])
        }
        let rc = rectification(c)
        let rp = rectification(p)
        let rect = ReportRectification(
            due: Figure(count: rc.due, previous: rp.due), resolvedOnTime: Figure(count: rc.onTime, previous: rp.onTime),
            rate: Figure(SatisfactionStatistics.share(rc.onTime, of: rc.due), previous: SatisfactionStatistics.share(rp.onTime, of: rp.due)))

        let breakdowns = ReportDimension.allCases.map { breakdown($0, c, p) }
        let series = seriesKeys(period).map { point($0, c) }
        let previousSeries = seriesKeys(period.previous).map { point($0, p) }

        let classified = (c.overall[.classified], p.overall[.classified])
        let problems = c.problems.sorted { ($0.value, $1.key.category, $1.key.subcategory) > ($1.value, $0.key.category, $0.key.subcategory) }
            .prefix(topProblemCount).compactMap { key, count -> ReportProblem? in
                guard let category = Category(rawValue: key.category) else { return nil }
                let before = p.problems[key] ?? 0
                return ReportProblem(
                    category: category, subcategory: key.subcategory.isEmpty ? nil : key.subcategory, count: Figure(count: count, previous: before),
                    share: Figure(
                        SatisfactionStatistics.share(count, of: classified.0), previous: SatisfactionStatistics.share(before, of: classified.1)),
                    examples: extras.examples["problem:\(key.category)/\(key.subcategory)"] ?? [])
            }
        let keywords = c.keywords.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(topKeywordCount).map {
            ReportKeyword(
                keyword: $0.key, count: Figure(count: $0.value, previous: p.keywords[$0.key] ?? 0), examples: extras.examples["keyword:\($0.key)"] ?? [])
        }

        var report = Report(
            period: period, filter: filter, generatedAt: generatedAt, volumes: volumes, times: times, slaCompliance: sla, warnings: warnings,
            escalationSteps: steps, rectification: rect, breakdowns: breakdowns, series: series, previousSeries: previousSeries,
            topProblems: Array(problems), incidents: extras.incidents, topKeywords: Array(keywords),
            satisfaction: satisfaction(c, p))
        report.notes = notes(filter)
        return report
    }

    static func compliance(_ metric: SLAMetric, level: Level?, _ a: TicketCounters, _ b: TicketCounters) -> ReportSLACompliance {
        let met = (a[.met(metric)], b[.met(metric)])
        let breached = (a[.breached(metric)], b[.breached(metric)])
        return ReportSLACompliance(
            metric: metric, level: level, met: Figure(count: met.0, previous: met.1), breached: Figure(count: breached.0, previous: breached.1),
            compliance: Figure(
                SatisfactionStatistics.share(met.0, of: met.0 + breached.0), previous: SatisfactionStatistics.share(met.1, of: met.1 + breached.1)))
    }

    static func allMet(_ t: TicketCounters) -> (Int64, Int64) {
        let met = SLAMetric.allCases.reduce(Int64(0)) { $0 + t[.met($1)] }
        let breached = SLAMetric.allCases.reduce(Int64(0)) { $0 + t[.breached($1)] }
        return (met, met + breached)
    }

    static func breakdown(_ dimension: ReportDimension, _ c: ReportTotals, _ p: ReportTotals) -> ReportBreakdown {
        let mine = c.byDimension[dimension] ?? [:]
        let theirs = p.byDimension[dimension] ?? [:]
        let keys = Set(mine.keys).union(theirs.keys).filter { !(mine[$0]?.isZero ?? true) || !(theirs[$0]?.isZero ?? true) }
        let rows = keys.map { key -> ReportBreakdownRow in
            let a = mine[key] ?? TicketCounters()
            let b = theirs[key] ?? TicketCounters()
            let ca = allMet(a)
            let cb = allMet(b)
            return ReportBreakdownRow(
                key: (key.isEmpty || key == "0") ? "unknown" : key,
                received: Figure(count: a[.received], previous: b[.received]),
                share: Figure(
                    SatisfactionStatistics.share(a[.received], of: c.overall[.received]),
                    previous: SatisfactionStatistics.share(b[.received], of: p.overall[.received])),
                resolved: Figure(count: a[.resolved], previous: b[.resolved]), escalated: Figure(count: a[.escalated], previous: b[.escalated]),
                reopened: Figure(count: a[.reopened], previous: b[.reopened]),
                slaCompliance: Figure(SatisfactionStatistics.share(ca.0, of: ca.1), previous: SatisfactionStatistics.share(cb.0, of: cb.1)))
        }
        return ReportBreakdown(dimension: dimension, rows: rows.sorted { ($0.received.value ?? 0, $1.key) > ($1.received.value ?? 0, $0.key) })
    }

    static func point(_ key: String, _ t: ReportTotals) -> ReportDailyPoint {
        let v = t.series[key] ?? TicketCounters()
        let s = t.surveySeries[key] ?? SurveyTotals()
        return ReportDailyPoint(
            day: key, received: v[.received], resolved: v[.resolved], escalated: v[.escalated],
            warnings: SLAMetric.allCases.reduce(Int64(0)) { $0 + v[.warned($1)] }, reopened: v[.reopened], answers: s.answers,
            csat: SatisfactionStatistics.csat(high: s.overallHigh, answers: s.answers))
    }

    static func satisfaction(_ c: ReportTotals, _ p: ReportTotals) -> ReportSatisfaction {
        var a = SurveyTotals()
        var b = SurveyTotals()
        for s in c.surveys.values { a += s }
        for s in p.surveys.values { b += s }
        let invalidByReason = SurveyFlagKind.allCases.map {
            ReportInvalidReason(flag: $0, count: Figure(count: a.flags[$0] ?? 0, previous: b.flags[$0] ?? 0))
        }
        var dimensions: [ReportDimensionScore] = []
        var reliability: [ReportReliability] = []
        for id in Set(c.surveys.keys).union(p.surveys.keys).sorted() {
            let now = c.surveys[id] ?? SurveyTotals()
            let before = p.surveys[id] ?? SurveyTotals()
            let names = Set(now.dimensions.keys).union(before.dimensions.keys).sorted()
            for name in names {
                let x = now.dimensions[name] ?? DimensionSums()
                let y = before.dimensions[name] ?? DimensionSums()
                dimensions.append(
                    ReportDimensionScore(
                        surveyId: id, dimension: name,
                        mean: Figure(SatisfactionStatistics.mean(sum: x.sum, n: x.n), previous: SatisfactionStatistics.mean(sum: y.sum, n: y.n)),
                        answers: x.n))
            }
            func alpha(_ t: SurveyTotals) -> Double? {
                let items = t.dimensions.keys.sorted().map { (sum: t.dimensions[$0]!.sum, squares: t.dimensions[$0]!.squares) }
                return SatisfactionStatistics.cronbachAlpha(items: items, n: t.answers, totalSum: t.totalSum, totalSquares: t.totalSquares)
            }
            reliability.append(
                ReportReliability(surveyId: id, items: names.count, answers: now.answers, alpha: Figure(alpha(now), previous: alpha(before))))
        }
        let lowest = dimensions.filter { $0.mean.value != nil }.sorted {
            ($0.mean.value!, $0.surveyId, $0.dimension) < ($1.mean.value!, $1.surveyId, $1.dimension)
        }.prefix(3)
        return ReportSatisfaction(
            answers: Figure(count: a.answers, previous: b.answers), invalid: Figure(count: a.invalid, previous: b.invalid),
            invalidByReason: invalidByReason, dimensions: dimensions, lowestDimensions: Array(lowest),
            csat: Figure(
                SatisfactionStatistics.csat(high: a.overallHigh, answers: a.answers),
                previous: SatisfactionStatistics.csat(high: b.overallHigh, answers: b.answers)),
            nps: Figure(
                SatisfactionStatistics.nps(promoters: a.promoters, detractors: a.detractors, answers: a.npsAnswers),
                previous: SatisfactionStatistics.nps(promoters: b.promoters, detractors: b.detractors, answers: b.npsAnswers)),
            responseRate: Figure(
                SatisfactionStatistics.share(a.followups, of: c.overall[.resolved]),
                previous: SatisfactionStatistics.share(b.followups, of: p.overall[.resolved])),
            reliability: reliability)
    }

    /// Which sections a filter cannot narrow, in words for the reader.
    static func notes(_ filter: ReportFilter) -> [String] {
        var notes: [String] = []
        if filter.channel != nil {
            notes.append("times (median, p90) are for all channels: the duration rollup has no channel")
        }
        if filter.channel != nil || filter.level != nil || filter.tier != nil {
            notes.append("keywords are filtered by department and category only")
        }
        if filter.department != nil || filter.category != nil || filter.level != nil {
            notes.append("duplicates and rejected tickets are never classified, so a department, category or level filter leaves none")
        }
        return notes
    }
}
