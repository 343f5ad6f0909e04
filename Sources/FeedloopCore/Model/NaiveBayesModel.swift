import Foundation

/// A multinomial naive Bayes classifier over hashed binary features, with Laplace smoothing.
///
/// What is stored is only what training counted (documents per class, and per bucket how many
/// documents of each class had the feature), so training is exact integer arithmetic and the
/// same examples always give the same bytes. Log-probabilities are derived from the counts when
/// the model is built or decoded, into one flat table laid out bucket-major so that scoring a
/// feature reads the weights of every class from one cache line.
public struct NaiveBayesModel: Sendable {
    /// The class labels, in the order of every per-class array; sorted at training.
    public let labels: [String]
    /// The featurizer the model was trained with; prediction must use the same one.
    public let featurizer: TextFeaturizer
    /// Additive smoothing of feature counts.
    public let alpha: Double
    /// Divides log-likelihoods before the softmax; above 1 it tempers naive Bayes'
    /// overconfident posteriors (features are not independent), fitted at training.
    public internal(set) var temperature: Double
    /// Training documents per class.
    public let classDocuments: [Int]
    /// Per occupied bucket, the documents of each class that contained it.
    let counts: SparseCounts

    private let logPriors: [Double]
    /// `weights[bucket * labels.count + class]`; zero for buckets never seen in training,
    /// which therefore do not move the scores.
    private let weights: [Float]

    init(labels: [String], featurizer: TextFeaturizer, alpha: Double, temperature: Double, classDocuments: [Int], counts: SparseCounts) {
        self.labels = labels
        self.featurizer = featurizer
        self.alpha = alpha
        self.temperature = temperature
        self.classDocuments = classDocuments
        self.counts = counts
        let k = labels.count
        let totalDocuments = Double(classDocuments.reduce(0, +))
        self.logPriors = classDocuments.map { log((Double($0) + 1) / (totalDocuments + Double(k))) }
        var featureTotals = [Double](repeating: 0, count: k)
        counts.forEach { _, row in
            for c in 0..<k { featureTotals[c] += Double(row[row.startIndex + c]) }
        }
        let vocabulary = Double(counts.occupiedBuckets)
        let denominators = featureTotals.map { log($0 + alpha * vocabulary) }
        var weights = [Float](repeating: 0, count: featurizer.bucketCount * k)
        counts.forEach { bucket, row in
            for c in 0..<k {
                weights[Int(bucket) * k + c] = Float(log(Double(row[row.startIndex + c]) + alpha) - denominators[c])
            }
        }
        self.weights = weights
    }

    /// Trains on feature sets (from ``featurizer``) with label indexes into `labels`.
    public static func train(
        labels: [String], examples: [(features: [UInt32], label: Int)], featurizer: TextFeaturizer = .default,
        alpha: Double = 1, temperature: Double = 1
    ) -> NaiveBayesModel {
        let k = labels.count
        var classDocuments = [Int](repeating: 0, count: k)
        var dense = [UInt32](repeating: 0, count: featurizer.bucketCount * k)
        for example in examples {
            classDocuments[example.label] += 1
            for f in example.features {
                dense[Int(f) * k + example.label] += 1
            }
        }
        return NaiveBayesModel(
            labels: labels, featurizer: featurizer, alpha: alpha, temperature: temperature, classDocuments: classDocuments,
            counts: SparseCounts(dense: dense, classes: k)
        )
    }

    /// The same counts with another temperature (the trainer fits it on held-out rows).
    public func withTemperature(_ temperature: Double) -> NaiveBayesModel {
        var copy = self
        copy.temperature = temperature
        return copy
    }

    /// Log prior plus summed log-likelihoods of `features`, per class, into `scores`.
    @inline(__always)
    public func logLikelihoods(of features: [UInt32], into scores: inout [Double]) {
        let k = self.labels.count
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: self.logPriors)
        self.weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { s in
                for f in features {
                    let base = Int(f) * k
                    for c in 0..<k {
                        s[c] += Double(w[base + c])
                    }
                }
            }
        }
    }

    /// The posterior of each class for `text`.
    public func predict(_ text: String) -> ModelPrediction {
        self.predict(features: self.featurizer.features(of: text))
    }

    /// The posterior of each class for already extracted features.
    public func predict(features: [UInt32]) -> ModelPrediction {
        var scores: [Double] = []
        self.logLikelihoods(of: features, into: &scores)
        return ModelPrediction(labels: self.labels, logLikelihoods: scores, temperature: self.temperature)
    }
}

extension NaiveBayesModel: Equatable {
    public static func == (a: NaiveBayesModel, b: NaiveBayesModel) -> Bool {
        a.labels == b.labels && a.featurizer == b.featurizer && a.alpha == b.alpha && a.temperature == b.temperature
            && a.classDocuments == b.classDocuments && a.counts == b.counts
    }
}

extension NaiveBayesModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case labels, bucketBits, alpha, temperature, classDocuments, counts
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try c.decode([String].self, forKey: .labels)
        let bucketBits = try c.decode(Int.self, forKey: .bucketBits)
        guard (10...24).contains(bucketBits) else {
            throw DecodingError.dataCorruptedError(forKey: .bucketBits, in: c, debugDescription: "bucketBits must be within 10...24")
        }
        let classDocuments = try c.decode([Int].self, forKey: .classDocuments)
        guard !labels.isEmpty, classDocuments.count == labels.count else {
            throw DecodingError.dataCorruptedError(forKey: .classDocuments, in: c, debugDescription: "one count per label expected")
        }
        let packed = try c.decode(String.self, forKey: .counts)
        guard let data = Data(base64Encoded: packed),
            let counts = SparseCounts(packed: data, classes: labels.count, bucketCount: 1 << bucketBits)
        else {
            throw DecodingError.dataCorruptedError(forKey: .counts, in: c, debugDescription: "malformed packed counts")
        }
        self.init(
            labels: labels, featurizer: TextFeaturizer(bucketBits: bucketBits), alpha: try c.decode(Double.self, forKey: .alpha),
            temperature: try c.decode(Double.self, forKey: .temperature), classDocuments: classDocuments, counts: counts
        )
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.labels, forKey: .labels)
        try c.encode(self.featurizer.bucketBits, forKey: .bucketBits)
        try c.encode(self.alpha, forKey: .alpha)
        try c.encode(self.temperature, forKey: .temperature)
        try c.encode(self.classDocuments, forKey: .classDocuments)
        try c.encode(self.counts.packed().base64EncodedString(), forKey: .counts)
    }
}
