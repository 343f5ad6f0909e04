/// The sums one report period needs, before any division: what the rollup reader and the
/// raw-table recomputation (`feedloopctl report verify`) both produce, so that the two can be
/// compared number by number, and what ``ReportAssembler`` turns into a ``Report``.
public struct ReportTotals: Hashable, Sendable {
    public var overall = TicketCounters()
    /// Per dimension value (`''` is shown as `unknown`; levels as `1`, `2`, `3`).
    public var byDimension: [ReportDimension: [String: TicketCounters]] = [:]
    /// Per day (`YYYY-MM-DD`), or per month (`YYYY-MM`) for periods longer than
    /// ``ReportAssembler/longestDailySeries`` days.
    public var series: [String: TicketCounters] = [:]
    public var duplicates: Int64 = 0
    public var rejected: Int64 = 0
    /// At the end of the period.
    public var stillOpen: Int64 = 0
    /// At the end of the period.
    public var overdue: Int64 = 0
    public var durations: [SLAMetric: [Int: Int64]] = [:]
    public var escalationSteps: [EscalationStepKey: Int64] = [:]
    /// Classified tickets received in the period per category and sub-category (`''` none).
    public var problems: [ProblemKey: Int64] = [:]
    public var keywords: [String: Int64] = [:]
    public var surveys: [String: SurveyTotals] = [:]
    /// Survey answers per day (or month), for the series.
    public var surveySeries: [String: SurveyTotals] = [:]

    public init() {}

    /// A (metric, ladder step) pair.
    public struct EscalationStepKey: Hashable, Sendable, Comparable {
        public var metric: SLAMetric
        public var step: Int
        public init(metric: SLAMetric, step: Int) {
            self.metric = metric
            self.step = step
        }
        public static func < (a: Self, b: Self) -> Bool {
            (a.metric.rawValue, a.step) < (b.metric.rawValue, b.step)
        }
    }

    /// A (category, sub-category) pair.
    public struct ProblemKey: Hashable, Sendable {
        public var category: String
        public var subcategory: String
        public init(category: String, subcategory: String) {
            self.category = category
            self.subcategory = subcategory
        }
    }

    /// Every number that differs from `other`, as `name: self ≠ other` lines, sorted; empty
    /// when the two agree. Zero and absent are the same.
    public func differences(from other: ReportTotals) -> [String] {
        var lines: [String] = []
        func compare(_ name: String, _ a: Int64, _ b: Int64) {
            if a != b { lines.append("\(name): \(a) ≠ \(b)") }
        }
        func compare(_ name: String, _ a: Double, _ b: Double) {
            if abs(a - b) > 1e-6 * max(1, abs(a), abs(b)) { lines.append("\(name): \(a) ≠ \(b)") }
        }
        func compare(_ name: String, _ a: TicketCounters, _ b: TicketCounters) {
            for c in TicketCounter.allCases { compare("\(name).\(c.rawValue)", a[c], b[c]) }
        }
        compare("overall", overall, other.overall)
        for d in ReportDimension.allCases {
            let mine = byDimension[d] ?? [:]
            let theirs = other.byDimension[d] ?? [:]
            for key in Set(mine.keys).union(theirs.keys) {
                compare("\(d.rawValue)[\(key)]", mine[key] ?? TicketCounters(), theirs[key] ?? TicketCounters())
            }
        }
        for key in Set(series.keys).union(other.series.keys) {
            compare("series[\(key)]", series[key] ?? TicketCounters(), other.series[key] ?? TicketCounters())
        }
        compare("duplicates", duplicates, other.duplicates)
        compare("rejected", rejected, other.rejected)
        compare("still_open", stillOpen, other.stillOpen)
        compare("overdue", overdue, other.overdue)
        for metric in SLAMetric.allCases {
            let mine = durations[metric] ?? [:]
            let theirs = other.durations[metric] ?? [:]
            for b in Set(mine.keys).union(theirs.keys) { compare("durations.\(metric.rawValue)[\(b)]", mine[b] ?? 0, theirs[b] ?? 0) }
        }
        for key in Set(escalationSteps.keys).union(other.escalationSteps.keys) {
            compare("escalations.\(key.metric.rawValue)[\(key.step)]", escalationSteps[key] ?? 0, other.escalationSteps[key] ?? 0)
        }
        for key in Set(problems.keys).union(other.problems.keys) {
            compare("problems[\(key.category)/\(key.subcategory)]", problems[key] ?? 0, other.problems[key] ?? 0)
        }
        for key in Set(keywords.keys).union(other.keywords.keys) { compare("keywords[\(key)]", keywords[key] ?? 0, other.keywords[key] ?? 0) }
        for id in Set(surveys.keys).union(other.surveys.keys) {
            let a = surveys[id] ?? SurveyTotals()
            let b = other.surveys[id] ?? SurveyTotals()
            for (name, x, y) in a.counts.indices.map({ (SurveyTotals.countNames[$0], a.counts[$0], b.counts[$0]) }) {
                compare("surveys[\(id)].\(name)", x, y)
            }
            compare("surveys[\(id)].total_sum", a.totalSum, b.totalSum)
            compare("surveys[\(id)].total_squares", a.totalSquares, b.totalSquares)
            for dim in Set(a.dimensions.keys).union(b.dimensions.keys) {
                let p = a.dimensions[dim] ?? DimensionSums()
                let q = b.dimensions[dim] ?? DimensionSums()
                compare("surveys[\(id)].\(dim).n", p.n, q.n)
                compare("surveys[\(id)].\(dim).sum", p.sum, q.sum)
                compare("surveys[\(id)].\(dim).squares", p.squares, q.squares)
            }
        }
        return lines.sorted()
    }
}

/// n, Σx and Σx² of one survey dimension's valid scores.
public struct DimensionSums: Hashable, Sendable {
    public var n: Int64 = 0
    public var sum: Double = 0
    public var squares: Double = 0

    public init(n: Int64 = 0, sum: Double = 0, squares: Double = 0) {
        self.n = n
        self.sum = sum
        self.squares = squares
    }

    public static func += (a: inout DimensionSums, b: DimensionSums) {
        a.n += b.n
        a.sum += b.sum
        a.squares += b.squares
    }
}

/// The sums of one survey's answers.
public struct SurveyTotals: Hashable, Sendable {
    /// Valid answers.
    public var answers: Int64 = 0
    public var invalid: Int64 = 0
    /// Answers (valid or not) that follow up a ticket.
    public var followups: Int64 = 0
    /// Valid answers with overall 4–5.
    public var overallHigh: Int64 = 0
    public var npsAnswers: Int64 = 0
    public var promoters: Int64 = 0
    public var detractors: Int64 = 0
    /// Σ and Σ² of each valid answer's dimension total.
    public var totalSum: Double = 0
    public var totalSquares: Double = 0
    /// Invalid answers per flag.
    public var flags: [SurveyFlagKind: Int64] = [:]
    public var dimensions: [String: DimensionSums] = [:]

    public init() {}

    /// The integer counts in a fixed order, named by ``countNames``.
    var counts: [Int64] {
        [answers, invalid, followups, overallHigh, npsAnswers, promoters, detractors] + SurveyFlagKind.allCases.map { flags[$0] ?? 0 }
    }

    static let countNames =
        ["answers", "invalid", "followups", "overall_high", "nps_answers", "promoters", "detractors"] + SurveyFlagKind.allCases.map(\.rawValue)

    public static func += (a: inout SurveyTotals, b: SurveyTotals) {
        a.answers += b.answers
        a.invalid += b.invalid
        a.followups += b.followups
        a.overallHigh += b.overallHigh
        a.npsAnswers += b.npsAnswers
        a.promoters += b.promoters
        a.detractors += b.detractors
        a.totalSum += b.totalSum
        a.totalSquares += b.totalSquares
        for (k, v) in b.flags { a.flags[k, default: 0] += v }
        for (k, v) in b.dimensions { a.dimensions[k, default: DimensionSums()] += v }
    }
}
