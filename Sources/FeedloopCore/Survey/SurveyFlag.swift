/// Why a stored answer is not counted: the four validity checks of a survey answer.
public enum SurveyFlagKind: String, Codable, CaseIterable, Hashable, Sendable {
    /// Submitted sooner after it was started than the questionnaire's minimum answering time.
    case tooFast = "too_fast"
    /// The same score on every 1–5 item (dimensions and overall), with at least three items.
    case straightLining = "straight_lining"
    /// A contradiction rule of the questionnaire fired; the reason names the rule.
    case contradictory
    /// The respondent had already answered this survey (for this ticket); the first answer counts.
    case `repeat`
}

/// One validity flag with a reason a person can read, e.g.
/// `too_fast: answered in 12.0 s, less than the minimum of 30 s`.
public struct SurveyFlag: Hashable, Codable, Sendable, CustomStringConvertible {
    public var flag: SurveyFlagKind
    public var reason: String

    public init(flag: SurveyFlagKind, reason: String) {
        self.flag = flag
        self.reason = reason
    }

    public var description: String { "\(flag.rawValue): \(reason)" }
}
