/// A pair of answers a questionnaire declares incompatible, e.g. a satisfied overall score
/// (`overall >= 4`) with an unsolved problem (`solution_quality <= 1`). The rule fires when
/// every condition of ``when`` and every condition of ``contradicts`` hold; an answer it fires
/// on is flagged `contradictory` with the rule's id.
public struct ContradictionRule: Hashable, Sendable {
    public var id: String
    public var when: [ScoreCondition]
    public var contradicts: [ScoreCondition]

    public init(id: String, when: [ScoreCondition], contradicts: [ScoreCondition]) {
        self.id = id
        self.when = when
        self.contradicts = contradicts
    }

    public func fires(on scores: [SurveyItem: Int]) -> Bool {
        when.allSatisfy { $0.holds(in: scores) } && contradicts.allSatisfy { $0.holds(in: scores) }
    }

    /// `rule satisfied_but_unsolved: overall 5 (>= 4) contradicts solution_quality 1 (<= 1)`.
    public func explanation(for scores: [SurveyItem: Int]) -> String {
        func side(_ conditions: [ScoreCondition]) -> String {
            conditions.map { "\($0.item.name) \(scores[$0.item].map(String.init) ?? "-") (\($0.comparison.rawValue) \($0.value))" }
                .joined(separator: " and ")
        }
        return "rule \(id): \(side(when)) contradicts \(side(contradicts))"
    }
}
