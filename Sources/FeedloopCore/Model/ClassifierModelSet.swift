import Foundation

/// The trained models a classifier uses together: one for the category, one for the
/// sentiment, with where they came from and how well they did on rows held out of training.
public struct ClassifierModelSet: Codable, Equatable, Sendable {
    /// What the models were trained on.
    public struct TrainingSummary: Codable, Equatable, Sendable {
        /// The training file's name (not its path).
        public var fileName: String
        /// Rows read from the file.
        public var rows: Int
        /// Rows with exactly one category, used by the category model.
        public var categoryRows: Int
        /// Rows with a sentiment, used by the sentiment model.
        public var sentimentRows: Int
        /// Rows per language (`zh`, `en`).
        public var languages: [String: Int]

        public init(fileName: String, rows: Int, categoryRows: Int, sentimentRows: Int, languages: [String: Int]) {
            self.fileName = fileName
            self.rows = rows
            self.categoryRows = categoryRows
            self.sentimentRows = sentimentRows
            self.languages = languages
        }
    }

    /// Metrics of each model on the part of the training file held out while fitting it.
    public struct Evaluation: Codable, Equatable, Sendable {
        public var category: ClassificationMetrics?
        public var sentiment: ClassificationMetrics?

        public init(category: ClassificationMetrics?, sentiment: ClassificationMetrics?) {
            self.category = category
            self.sentiment = sentiment
        }
    }

    /// Assigned by the store when saved; nil before.
    public var version: Int?
    /// A name for people ("2024-06 tickets").
    public var name: String
    public var trainedAt: Date
    public var training: TrainingSummary
    /// Predicts a ``Category`` raw value; nil when the file had no single-category rows.
    public var category: NaiveBayesModel?
    /// Predicts a ``Sentiment`` raw value; nil when the file had no sentiment labels.
    public var sentiment: NaiveBayesModel?
    public var evaluation: Evaluation

    public init(
        version: Int? = nil, name: String, trainedAt: Date, training: TrainingSummary, category: NaiveBayesModel?,
        sentiment: NaiveBayesModel?, evaluation: Evaluation
    ) {
        self.version = version
        self.name = name
        self.trainedAt = trainedAt
        self.training = training
        self.category = category
        self.sentiment = sentiment
        self.evaluation = evaluation
    }

    /// The stored form: JSON with sorted keys and whole-second dates, so the same set always
    /// gives the same bytes. The version is not part of it (the store's row holds it).
    public func serialized() throws -> Data {
        var copy = self
        copy.version = nil
        return try Self.encoder().encode(copy)
    }

    /// Reads ``serialized()`` bytes.
    public static func deserialize(_ data: Data, version: Int? = nil) throws -> ClassifierModelSet {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var set = try decoder.decode(ClassifierModelSet.self, from: data)
        set.version = version
        return set
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
