import Foundation

/// A survey answer was stored, valid or flagged. Carries no personal data: the respondent and
/// the comment stay in `survey_responses`. No queue binds it yet; the notifier (low scores)
/// and analytics (satisfaction reports) will.
public struct SurveyAnswered: EventPayload, Equatable {
    public static let type = EventType.surveyAnswered
    public static let schemaVersion = 1
    /// The ticket the survey follows up; 0 when the answer names none (envelopes need an id).
    public var ticketId: Int64
    public var surveyId: String
    public var responseId: String
    public var overall: Int
    public var nps: Int?
    /// One entry per dimension, in the questionnaire's order. A list rather than a map: the
    /// JSON dialect's snake_case conversion would rewrite dimension ids used as keys.
    public var scores: [DimensionScore]
    /// False when any flag is set; statistics count only valid answers.
    public var valid: Bool
    public var flags: [SurveyFlag]
    public var submittedAt: Date

    /// One event per stored answer, whether or not it follows up a ticket.
    public var messageDiscriminator: [String] { [surveyId, responseId] }

    public init(
        ticketId: Int64, surveyId: String, responseId: String, overall: Int, nps: Int?, scores: [DimensionScore], valid: Bool,
        flags: [SurveyFlag], submittedAt: Date
    ) {
        self.ticketId = ticketId
        self.surveyId = surveyId
        self.responseId = responseId
        self.overall = overall
        self.nps = nps
        self.scores = scores
        self.valid = valid
        self.flags = flags
        self.submittedAt = submittedAt
    }
}

/// A dimension's 1–5 score in an event.
public struct DimensionScore: Hashable, Codable, Sendable {
    public var dimension: String
    public var score: Int

    public init(dimension: String, score: Int) {
        self.dimension = dimension
        self.score = score
    }
}
