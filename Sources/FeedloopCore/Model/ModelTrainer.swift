import Foundation

/// Trains a ``ClassifierModelSet`` from labeled rows, deterministically.
///
/// For each model, one row in five (chosen by a hash of its text, so the choice does not depend
/// on file order) is first held out: a model fitted on the other four fifths picks the softmax
/// temperature that gives the held-out rows the best log-likelihood, and its scores there
/// become the set's ``ClassifierModelSet/Evaluation``. The stored model is then fitted on every
/// row with that temperature.
public struct ModelTrainer: Sendable {
    /// Why training could not produce a model.
    public struct TrainingError: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    public var featurizer: TextFeaturizer
    public var alpha: Double
    /// Temperatures tried when calibrating posteriors.
    public static let temperatures: [Double] = [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32]

    public init(featurizer: TextFeaturizer = .default, alpha: Double = 0.5) {
        self.featurizer = featurizer
        self.alpha = alpha
    }

    /// Trains both models; `progress` receives short status lines for long runs.
    public func train(
        _ examples: [LabeledExample], name: String, fileName: String, trainedAt: Date, progress: ((String) -> Void)? = nil
    ) throws -> ClassifierModelSet {
        let categoryRows = examples.compactMap { e in e.singleCategory.map { (e.text, $0.rawValue) } }
        let sentimentRows = examples.compactMap { e in e.sentiment.map { (e.text, $0.rawValue) } }
        guard !categoryRows.isEmpty || !sentimentRows.isEmpty else {
            throw TrainingError(description: "no row has exactly one category or a sentiment: nothing to train on")
        }
        var languages: [String: Int] = [:]
        for e in examples { languages[e.language, default: 0] += 1 }

        progress?("category model: \(categoryRows.count) rows")
        let category = try categoryRows.isEmpty ? nil : self.fit(categoryRows, task: "category")
        progress?("sentiment model: \(sentimentRows.count) rows")
        let sentiment = try sentimentRows.isEmpty ? nil : self.fit(sentimentRows, task: "sentiment")
        return ClassifierModelSet(
            name: name, trainedAt: Date(timeIntervalSince1970: trainedAt.timeIntervalSince1970.rounded(.down)),
            training: .init(
                fileName: fileName, rows: examples.count, categoryRows: categoryRows.count, sentimentRows: sentimentRows.count,
                languages: languages
            ),
            category: category?.model, sentiment: sentiment?.model,
            evaluation: .init(category: category?.heldOut, sentiment: sentiment?.heldOut)
        )
    }

    /// Fits one model on `(text, label)` rows.
    public func fit(_ rows: [(text: String, label: String)], task: String) throws -> (model: NaiveBayesModel, heldOut: ClassificationMetrics?) {
        let labels = Set(rows.map(\.label)).sorted()
        guard labels.count >= 2 else {
            throw TrainingError(description: "the \(task) model needs at least two different labels; the data has only \(labels.first ?? "none")")
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var buffer: [UInt32] = []
        let examples = rows.map { row -> (features: [UInt32], label: Int) in
            self.featurizer.features(of: row.text, into: &buffer)
            return (buffer, index[row.label]!)
        }
        var trainPart: [(features: [UInt32], label: Int)] = []
        var heldPart: [(features: [UInt32], label: Int)] = []
        for (row, example) in zip(rows, examples) {
            if Self.isHeldOut(row.text) { heldPart.append(example) } else { trainPart.append(example) }
        }
        var temperature = 1.0
        var heldOut: ClassificationMetrics?
        if heldPart.count >= 10, Set(trainPart.map(\.label)).count == labels.count {
            let partial = NaiveBayesModel.train(labels: labels, examples: trainPart, featurizer: self.featurizer, alpha: self.alpha)
            var scores: [Double] = []
            let logLikelihoods = heldPart.map { example -> [Double] in
                partial.logLikelihoods(of: example.features, into: &scores)
                return scores
            }
            temperature = Self.bestTemperature(logLikelihoods, gold: heldPart.map(\.label))
            heldOut = ClassificationMetrics(
                gold: heldPart.map { labels[$0.label] },
                predicted: logLikelihoods.map { labels[ModelPrediction(labels: labels, logLikelihoods: $0).bestIndex] }
            )
        }
        let model = NaiveBayesModel.train(
            labels: labels, examples: examples, featurizer: self.featurizer, alpha: self.alpha, temperature: temperature
        )
        return (model, heldOut)
    }

    /// One text in five, by FNV-1a of its UTF-8 bytes: duplicates fall on the same side.
    static func isHeldOut(_ text: String) -> Bool {
        var h = FNV.offset
        for byte in text.utf8 { h = (h ^ UInt32(byte)) &* FNV.prime }
        return h % 5 == 0
    }

    /// The temperature with the smallest negative log-likelihood of the gold labels.
    static func bestTemperature(_ logLikelihoods: [[Double]], gold: [Int]) -> Double {
        var best = (temperature: 1.0, loss: Double.infinity)
        for t in Self.temperatures {
            var loss = 0.0
            for (scores, g) in zip(logLikelihoods, gold) {
                let top = scores.max()!
                let logSum = log(scores.reduce(0) { $0 + exp(($1 - top) / t) })
                loss -= (scores[g] - top) / t - logSum
            }
            if loss < best.loss { best = (t, loss) }
        }
        return best.temperature
    }
}
