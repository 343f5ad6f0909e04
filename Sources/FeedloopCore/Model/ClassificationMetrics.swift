/// Accuracy, per-class precision/recall/F1 and the confusion matrix of predictions against gold labels.
///
/// Macro-F1 averages the F1 of the classes that occur in the gold labels: a class the
/// predictor invents (keywords can say `suggestion` where the data has none) costs accuracy and
/// the precision of nothing, rather than adding a zero to the average.
public struct ClassificationMetrics: Codable, Hashable, Sendable {
    /// Scores of one class.
    public struct ClassScore: Codable, Hashable, Sendable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Gold rows of this class.
        public var support: Int
    }

    /// Gold labels first (sorted), then any label only predicted.
    public var labels: [String]
    /// `confusion[gold][predicted]`, indexed like ``labels``.
    public var confusion: [[Int]]
    public var count: Int
    public var accuracy: Double
    public var macroF1: Double
    /// One entry per gold label.
    public var perClass: [ClassScore]

    /// Scores `predicted` against `gold` (same length, same order).
    public init(gold: [String], predicted: [String]) {
        precondition(gold.count == predicted.count, "one prediction per gold label")
        let goldLabels = Set(gold).sorted()
        let extra = Set(predicted).subtracting(goldLabels).sorted()
        let labels = goldLabels + extra
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (g, p) in zip(gold, predicted) {
            confusion[index[g]!][index[p]!] += 1
        }
        var perClass: [ClassScore] = []
        for (i, label) in goldLabels.enumerated() {
            let truePositives = Double(confusion[i][i])
            let predictedCount = Double(confusion.reduce(0) { $0 + $1[i] })
            let support = confusion[i].reduce(0, +)
            let precision = predictedCount > 0 ? truePositives / predictedCount : 0
            let recall = support > 0 ? truePositives / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassScore(label: label, precision: precision, recall: recall, f1: f1, support: support))
        }
        let correct = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        self.labels = labels
        self.confusion = confusion
        self.count = gold.count
        self.accuracy = gold.isEmpty ? 0 : Double(correct) / Double(gold.count)
        self.macroF1 = perClass.isEmpty ? 0 : perClass.reduce(0) { $0 + $1.f1 } / Double(perClass.count)
        self.perClass = perClass
    }
}
