/// What the classifier concluded about one feedback item, and why.
public struct Classification: Hashable, Sendable {
    /// The winning category; `other` when no keyword matched.
    public var category: Category
    /// The sub-category id such as `product.defect`, when one could be told.
    public var subcategory: String?
    /// Overall sentiment.
    public var sentiment: Sentiment
    /// The summed sentiment score (negative below zero); kept for tuning.
    public var sentimentScore: Double
    /// The level the ticket is held to.
    public var level: Level
    /// The rule that set ``level``.
    public var levelRule: LevelRule
    /// The department the ticket is routed to.
    public var department: String
    /// Taxonomy keywords of the winning category found in the text, in order, for reports.
    public var keywords: [String]
    /// Severity terms found, if the level came from them or they were present.
    public var severityTerms: [String]
    /// Summed keyword weight of the winning category.
    public var score: Double
    /// 0…1: how clearly the winning category beat the others and how much evidence it had.
    public var confidence: Double
    /// Rules and model were not confident enough (below the review threshold): the ticket waits
    /// for a person, filed under `other`, with the best guess in ``suggestedCategory``.
    public var needsReview: Bool
    /// The version of the trained models that took part, nil for keywords alone.
    public var modelVersion: Int?
    /// The best guess when ``needsReview`` is set.
    public var suggestedCategory: Category?

    /// Creates a classification.
    public init(
        category: Category, subcategory: String?, sentiment: Sentiment, sentimentScore: Double, level: Level,
        levelRule: LevelRule, department: String, keywords: [String], severityTerms: [String], score: Double,
        confidence: Double, needsReview: Bool = false, modelVersion: Int? = nil, suggestedCategory: Category? = nil
    ) {
        self.category = category
        self.subcategory = subcategory
        self.sentiment = sentiment
        self.sentimentScore = sentimentScore
        self.level = level
        self.levelRule = levelRule
        self.department = department
        self.keywords = keywords
        self.severityTerms = severityTerms
        self.score = score
        self.confidence = confidence
        self.needsReview = needsReview
        self.modelVersion = modelVersion
        self.suggestedCategory = suggestedCategory
    }
}
