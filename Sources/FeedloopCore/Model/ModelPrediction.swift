import Foundation

/// What a ``NaiveBayesModel`` says about one text: the best label and every label's posterior.
public struct ModelPrediction: Hashable, Sendable {
    /// The labels, in the model's order.
    public let labels: [String]
    /// Posterior probabilities (softmax of the tempered log-likelihoods), summing to 1.
    public let probabilities: [Double]
    /// Index of the most probable label (the first one on a tie).
    public let bestIndex: Int

    /// The most probable label.
    public var label: String { self.labels[self.bestIndex] }
    /// Its posterior probability.
    public var probability: Double { self.probabilities[self.bestIndex] }

    /// Normalizes log-likelihoods into posteriors; subtracting the maximum keeps `exp` finite.
    public init(labels: [String], logLikelihoods: [Double], temperature: Double = 1) {
        var best = 0
        for i in logLikelihoods.indices where logLikelihoods[i] > logLikelihoods[best] {
            best = i
        }
        let top = logLikelihoods[best]
        let t = temperature > 0 ? temperature : 1
        let exps = logLikelihoods.map { exp(($0 - top) / t) }
        let sum = exps.reduce(0, +)
        self.labels = labels
        self.probabilities = exps.map { $0 / sum }
        self.bestIndex = best
    }

    /// The posterior of `label`, 0 when the model does not know it.
    public func probability(of label: String) -> Double {
        guard let i = self.labels.firstIndex(of: label) else { return 0 }
        return self.probabilities[i]
    }
}
