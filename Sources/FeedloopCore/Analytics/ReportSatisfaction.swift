/// What the survey answers of the period say; only valid answers are counted, invalid ones
/// are counted by reason.
public struct ReportSatisfaction: Hashable, Codable, Sendable {
    /// Valid answers.
    public var answers: Figure
    /// Answers flagged and excluded.
    public var invalid: Figure
    /// Excluded answers per flag (an answer with two flags counts under both).
    public var invalidByReason: [ReportInvalidReason]
    /// Mean 1–5 score per survey and dimension.
    public var dimensions: [ReportDimensionScore]
    /// The three dimensions with the lowest mean this period, lowest first.
    public var lowestDimensions: [ReportDimensionScore]
    /// Share of valid answers with overall 4 or 5.
    public var csat: Figure
    /// Promoters (9–10) minus detractors (0–6), as a share of answers with a 0–10 score,
    /// times 100 (−100…100).
    public var nps: Figure
    /// Answers following up a ticket, per ticket resolved in the period.
    public var responseRate: Figure
    /// Cronbach's α of each questionnaire's dimensions over the period's valid answers.
    public var reliability: [ReportReliability]

    public init(
        answers: Figure, invalid: Figure, invalidByReason: [ReportInvalidReason], dimensions: [ReportDimensionScore],
        lowestDimensions: [ReportDimensionScore], csat: Figure, nps: Figure, responseRate: Figure, reliability: [ReportReliability]
    ) {
        self.answers = answers
        self.invalid = invalid
        self.invalidByReason = invalidByReason
        self.dimensions = dimensions
        self.lowestDimensions = lowestDimensions
        self.csat = csat
        self.nps = nps
        self.responseRate = responseRate
        self.reliability = reliability
    }
}

/// Excluded answers carrying one flag.
public struct ReportInvalidReason: Hashable, Codable, Sendable {
    public var flag: SurveyFlagKind
    public var count: Figure

    public init(flag: SurveyFlagKind, count: Figure) {
        self.flag = flag
        self.count = count
    }
}

/// A dimension's mean score.
public struct ReportDimensionScore: Hashable, Codable, Sendable {
    public var surveyId: String
    public var dimension: String
    public var mean: Figure
    /// Valid answers scoring it.
    public var answers: Int64

    public init(surveyId: String, dimension: String, mean: Figure, answers: Int64) {
        self.surveyId = surveyId
        self.dimension = dimension
        self.mean = mean
        self.answers = answers
    }
}

/// Internal consistency of one questionnaire's dimensions.
public struct ReportReliability: Hashable, Codable, Sendable {
    public var surveyId: String
    /// Dimensions (items) in the scale.
    public var items: Int
    /// Valid answers used.
    public var answers: Int64
    /// Nil with fewer than two items or two answers, or no variance in the totals.
    public var alpha: Figure

    public init(surveyId: String, items: Int, answers: Int64, alpha: Figure) {
        self.surveyId = surveyId
        self.items = items
        self.answers = answers
        self.alpha = alpha
    }
}
