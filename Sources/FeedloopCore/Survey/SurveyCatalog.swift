/// The questionnaires the producer accepts answers for, by id. Built from `config/surveys.yaml`
/// (or `FEEDLOOP_SURVEYS`) by the runtime's loader, or ``builtIn`` without a file.
public struct SurveyCatalog: Hashable, Sendable {
    /// In the order they were configured.
    public private(set) var questionnaires: [Questionnaire]

    /// Ids must be unique; the loader reports duplicates with their lines before calling this.
    public init(_ questionnaires: [Questionnaire]) {
        self.questionnaires = questionnaires
    }

    public subscript(id: String) -> Questionnaire? {
        questionnaires.first { $0.id == id }
    }

    /// The catalog that ships with the product: the after-resolution follow-up (回访).
    public static let builtIn = SurveyCatalog([.resolutionFollowUp])
}
