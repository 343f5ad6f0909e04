/// Keywords and trained models together: the taxonomy's rules explain, the models generalize,
/// and a ticket neither is sure about waits for a person instead of being guessed.
///
/// How the category is decided, with `P` the model's posteriors over its labels:
/// - no keyword matched: `P` alone;
/// - the keywords chose a category the model does not know (`suggestion`, when the training
///   data has none): the keywords decide, with their own confidence;
/// - otherwise the two are multiplied as independent experts: the keywords' category gets
///   `1/n + s·(0.9 − 1/n)` of their vote, with `s` the keyword confidence, the other `n − 1`
///   labels share the rest, and the product is normalized. Agreement raises the confidence,
///   disagreement lowers it, and strong keyword evidence can overrule a hesitant model.
///
/// When the combined confidence is below ``reviewThreshold``, the result is filed under `other`
/// and routed like it, with ``Classification/needsReview`` set and the best guess in
/// ``Classification/suggestedCategory``; its level is graded on the best guess, so that a VIP's
/// complaint stays urgent while it waits for review.
///
/// Sentiment combines the same way with the lexicon: its sentiment gets `1/n + t·(0.8 − 1/n)`,
/// with `t` growing with the size of the lexicon score. When the model has no `neutral`
/// label (binary review sets), a text the lexicon finds neutral stays neutral unless the model
/// is sure (posterior ≥ ``neutralOverride``).
///
/// Without models the result is exactly the ``KeywordClassifier``'s.
public struct HybridClassifier: Sendable {
    public let keywords: KeywordClassifier
    public let models: ClassifierModelSet?
    /// Category confidence below which a ticket is flagged for review.
    public let reviewThreshold: Double
    /// The model posterior needed to call a text the lexicon finds neutral positive or negative,
    /// when the sentiment model cannot say neutral itself.
    public let neutralOverride = 0.8

    /// Category model labels as categories (nil for a label Feedloop does not know).
    private let categoryLabels: [Category?]
    private let sentimentLabels: [Sentiment?]
    /// Whether both models hash text the same way, so features are extracted once.
    private let sharedFeatures: Bool

    /// Creates a classifier; `models` nil means keywords alone.
    public init(keywords: KeywordClassifier, models: ClassifierModelSet?, reviewThreshold: Double = 0.5) {
        self.keywords = keywords
        self.models = models
        self.reviewThreshold = reviewThreshold
        self.categoryLabels = models?.category?.labels.map { Category(rawValue: $0) } ?? []
        self.sentimentLabels = models?.sentiment?.labels.map { Sentiment(rawValue: $0) } ?? []
        self.sharedFeatures = models?.category?.featurizer == models?.sentiment?.featurizer
    }

    /// Classifies one feedback text; `customerTier` feeds the VIP rule.
    public func classify(text: String, customerTier: CustomerTier?) -> Classification {
        let normalized = NormalizedText(text)
        let rules = self.keywords.classify(normalized: normalized, customerTier: customerTier)
        guard let models = self.models, models.category != nil || models.sentiment != nil else { return rules }

        var features: [UInt32] = []
        var scores: [Double] = []
        var category = rules.category
        var confidence = rules.confidence
        var reviewed = false
        if let model = models.category {
            model.featurizer.features(of: text, into: &features)
            model.logLikelihoods(of: features, into: &scores)
            let posterior = ModelPrediction(labels: model.labels, logLikelihoods: scores, temperature: model.temperature)
            (category, confidence) = self.combineCategory(rules: rules, model: posterior.probabilities)
            reviewed = true
        }
        var sentiment = rules.sentiment
        if let model = models.sentiment {
            if !self.sharedFeatures || models.category == nil {
                model.featurizer.features(of: text, into: &features)
            }
            model.logLikelihoods(of: features, into: &scores)
            let posterior = ModelPrediction(labels: model.labels, logLikelihoods: scores, temperature: model.temperature)
            sentiment = self.combineSentiment(rules: rules, model: posterior.probabilities)
        }

        let needsReview = reviewed && confidence < self.reviewThreshold
        var result = rules
        result.modelVersion = models.version
        result.confidence = confidence
        result.sentiment = sentiment
        if category != rules.category {
            result.subcategory = nil
            result.keywords = []
            result.score = 0
        }
        if category != rules.category || sentiment != rules.sentiment {
            (result.level, result.levelRule, result.severityTerms) = self.keywords.grade(
                normalized, category: category, sentiment: sentiment, customerTier: customerTier
            )
        }
        if needsReview {
            result.needsReview = true
            result.suggestedCategory = category
            result.category = .other
            result.subcategory = nil
            result.department = self.keywords.taxonomy.department(for: .other)
        } else {
            result.category = category
            result.department = self.keywords.taxonomy.department(for: category)
        }
        return result
    }

    /// The category and its confidence from keyword evidence and model posteriors.
    private func combineCategory(rules: Classification, model p: [Double]) -> (Category, Double) {
        let labels = self.categoryLabels
        guard rules.score > 0 else {
            return self.best(p, labels) ?? (rules.category, rules.confidence)
        }
        guard let ruleIndex = labels.firstIndex(of: rules.category) else {
            return (rules.category, rules.confidence)
        }
        let combined = Self.productOfExperts(p, favoured: ruleIndex, strength: rules.confidence, cap: 0.9)
        return self.best(combined, labels) ?? (rules.category, rules.confidence)
    }

    private func combineSentiment(rules: Classification, model p: [Double]) -> Sentiment {
        let labels = self.sentimentLabels
        let lexicon = rules.sentiment
        var combined = p
        if let i = labels.firstIndex(of: lexicon) {
            let strength = lexicon == .neutral ? 0.3 : min(1, abs(rules.sentimentScore) / 3)
            combined = Self.productOfExperts(p, favoured: i, strength: strength, cap: 0.8)
        }
        guard let (sentiment, probability) = self.best(combined, labels) else { return lexicon }
        if lexicon == .neutral, !labels.contains(.neutral), probability < self.neutralOverride {
            return .neutral
        }
        return sentiment
    }

    /// Multiplies `p` by a vote of `1/n + strength·(cap − 1/n)` for `favoured` (the rest shared
    /// evenly) and normalizes.
    static func productOfExperts(_ p: [Double], favoured: Int, strength: Double, cap: Double) -> [Double] {
        let n = Double(p.count)
        guard n > 1 else { return p }
        let vote = 1 / n + max(0, min(1, strength)) * max(0, cap - 1 / n)
        let others = (1 - vote) / (n - 1)
        var out = p.indices.map { p[$0] * ($0 == favoured ? vote : others) }
        let sum = out.reduce(0, +)
        if sum > 0 {
            for i in out.indices { out[i] /= sum }
        }
        return out
    }

    /// The most probable label Feedloop knows, with its probability.
    private func best<T>(_ p: [Double], _ labels: [T?]) -> (T, Double)? {
        var bestIndex: Int?
        for i in p.indices where labels[i] != nil {
            if bestIndex == nil || p[i] > p[bestIndex!] { bestIndex = i }
        }
        guard let i = bestIndex, let label = labels[i] else { return nil }
        return (label, p[i])
    }
}
