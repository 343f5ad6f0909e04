import Foundation

/// The validity checks that need only the answer and its questionnaire. The `repeat` check
/// needs the answers already stored and is made by the producer under a lock.
///
/// Flagged answers are stored, never dropped, and excluded from statistics.
public enum SurveyValidity {
    /// Straight-lining is only meaningful with this many 1–5 items or more.
    public static let straightLiningMinimumItems = 3

    /// The flags of `answer`, in the order too_fast, straight_lining, contradictory (one per rule).
    public static func flags(of answer: SurveyAnswer, for questionnaire: Questionnaire) -> [SurveyFlag] {
        var flags: [SurveyFlag] = []
        let minimumMilliseconds = Int64(questionnaire.minimumSeconds) * 1000
        if answer.durationMilliseconds < minimumMilliseconds {
            let seconds = String(format: "%.1f", Double(answer.durationMilliseconds) / 1000)
            flags.append(
                SurveyFlag(flag: .tooFast, reason: "answered in \(seconds) s, less than the minimum of \(questionnaire.minimumSeconds) s")
            )
        }

        let fivePointScores = questionnaire.dimensions.compactMap { answer.scores[$0.id] } + [answer.overall]
        if fivePointScores.count >= Self.straightLiningMinimumItems, let first = fivePointScores.first,
            fivePointScores.allSatisfy({ $0 == first })
        {
            flags.append(SurveyFlag(flag: .straightLining, reason: "the same score \(first) on all \(fivePointScores.count) items"))
        }

        let scores = answer.itemScores
        for rule in questionnaire.contradictions where rule.fires(on: scores) {
            flags.append(SurveyFlag(flag: .contradictory, reason: rule.explanation(for: scores)))
        }
        return flags
    }
}
