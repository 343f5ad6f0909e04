/// A survey as configured: what it asks, whether it follows up a ticket, and what makes an
/// answer suspect. Answers are checked against it by ``SurveyAnswer/parse(json:for:receivedAt:)``
/// (structure) and ``SurveyValidity/flags(of:for:)`` (plausibility).
public struct Questionnaire: Hashable, Sendable {
    /// The default least answering time: a careful reading of a short questionnaire.
    public static let defaultMinimumSeconds = 30

    /// Lowercase snake_case id, the `{survey}` of `POST /v1/surveys/{survey}/responses`.
    public var id: String
    public var title: LocalizedText
    /// Each scored 1–5; at least one.
    public var dimensions: [SurveyDimension]
    /// The label of the overall score (1–5), which every questionnaire asks.
    public var overall: LocalizedText
    /// The label of the 0–10 recommendation question, when asked; answering it is optional.
    public var nps: LocalizedText?
    /// The label of the open-text question, when asked; answering it is optional.
    public var comment: LocalizedText?
    public var ticket: TicketFollowUp
    /// Answers submitted sooner than this after they were started are flagged `too_fast`.
    public var minimumSeconds: Int
    public var contradictions: [ContradictionRule]

    public init(
        id: String, title: LocalizedText, dimensions: [SurveyDimension], overall: LocalizedText, nps: LocalizedText?,
        comment: LocalizedText?, ticket: TicketFollowUp, minimumSeconds: Int = Questionnaire.defaultMinimumSeconds,
        contradictions: [ContradictionRule]
    ) {
        self.id = id
        self.title = title
        self.dimensions = dimensions
        self.overall = overall
        self.nps = nps
        self.comment = comment
        self.ticket = ticket
        self.minimumSeconds = minimumSeconds
        self.contradictions = contradictions
    }

    /// The items a contradiction rule may name: the dimensions, `overall`, and `nps` when asked.
    public var items: [SurveyItem] {
        dimensions.map { .dimension($0.id) } + [.overall] + (nps == nil ? [] : [.nps])
    }

    /// The item called `name` in this questionnaire, if any.
    public func item(named name: String) -> SurveyItem? {
        items.first { $0.name == name }
    }
}
