/// One labeled row of a training or evaluation file.
public struct LabeledExample: Hashable, Sendable {
    /// The 1-based line of the file the row came from, for error messages.
    public var line: Int
    /// The row's own id, when the file has one.
    public var id: String?
    public var text: String
    /// Every category the row is labeled with; the category model uses rows with exactly one.
    public var categories: [Category]
    /// The overall sentiment; nil when unlabeled or mixed, and then skipped by the sentiment model.
    public var sentiment: Sentiment?
    /// `zh` or `en`: from the file, else guessed from the text.
    public var language: String

    /// Creates an example; without `language`, text with any CJK ideograph counts as `zh`.
    public init(line: Int, id: String? = nil, text: String, categories: [Category], sentiment: Sentiment?, language: String? = nil) {
        self.line = line
        self.id = id
        self.text = text
        self.categories = categories
        self.sentiment = sentiment
        self.language = language ?? (text.unicodeScalars.contains { TextFeaturizer.isIdeograph($0.value) } ? "zh" : "en")
    }

    /// The single category, when the row has exactly one.
    public var singleCategory: Category? { self.categories.count == 1 ? self.categories[0] : nil }
}
