/// One aspect of the service a questionnaire asks about (response speed, attitude, …),
/// scored 1–5 by the respondent.
public struct SurveyDimension: Hashable, Sendable {
    /// Lowercase snake_case id, the key under `scores` in an answer.
    public var id: String
    public var label: LocalizedText

    public init(id: String, label: LocalizedText) {
        self.id = id
        self.label = label
    }
}
