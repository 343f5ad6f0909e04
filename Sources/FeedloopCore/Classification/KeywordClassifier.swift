/// Classifies, grades and routes feedback by weighted keywords; fast, deterministic, explainable.
///
/// All keywords are folded and indexed once at init; ``classify(text:customerTier:)`` then does
/// one pass to normalize the text and a lookup per keyword, with no regular expressions.
public struct KeywordClassifier: Sendable {
    /// Where a taxonomy keyword points.
    private struct Target: Sendable {
        var categoryIndex: Int
        var subcategoryIndex: Int?
        var weight: Double
        var term: String
    }

    /// The taxonomy this classifier was built from.
    public let taxonomy: Taxonomy
    /// The grading rules.
    public let levelRules: LevelRules
    private let keywordMatcher: KeywordMatcher
    /// One entry per keyword term; nil for ignored phrases.
    private let targets: [Target?]
    private let sentiment: SentimentScorer
    private let alwaysUrgent: KeywordMatcher
    private let urgentWhenNegative: KeywordMatcher

    /// Builds a classifier; the default lexicon and rules are those of ARCHITECTURE §1.
    public init(taxonomy: Taxonomy, lexicon: SentimentLexicon = .default, levelRules: LevelRules = .default) {
        var terms: [String] = []
        var targets: [Target?] = []
        for (ci, entry) in taxonomy.categories.enumerated() {
            for k in entry.keywords {
                terms.append(k.term)
                targets.append(Target(categoryIndex: ci, subcategoryIndex: nil, weight: k.weight, term: k.term))
            }
            for (si, sub) in entry.subcategories.enumerated() {
                for k in sub.keywords {
                    terms.append(k.term)
                    targets.append(Target(categoryIndex: ci, subcategoryIndex: si, weight: k.weight, term: k.term))
                }
            }
        }
        for phrase in taxonomy.ignoredPhrases {
            terms.append(phrase)
            targets.append(nil)
        }
        self.taxonomy = taxonomy
        self.levelRules = levelRules
        self.keywordMatcher = KeywordMatcher(terms: terms)
        self.targets = targets
        self.sentiment = SentimentScorer(lexicon: lexicon)
        self.alwaysUrgent = KeywordMatcher(terms: levelRules.alwaysUrgent)
        self.urgentWhenNegative = KeywordMatcher(terms: levelRules.urgentWhenNegative)
    }

    /// Classifies one feedback text; `customerTier` feeds the VIP rule.
    public func classify(text: String, customerTier: CustomerTier?) -> Classification {
        self.classify(normalized: NormalizedText(text), customerTier: customerTier)
    }

    /// Classifies text already normalized; ``HybridClassifier`` re-grades the same text.
    func classify(normalized: NormalizedText, customerTier: CustomerTier?) -> Classification {
        let matches = KeywordMatcher.removingContained(self.keywordMatcher.matches(in: normalized))
        let categories = self.taxonomy.categories

        var categoryScores = [Double](repeating: 0, count: categories.count)
        var subcategoryScores = categories.map { [Double](repeating: 0, count: $0.subcategories.count) }
        for m in matches {
            guard let t = self.targets[m.index] else { continue }
            categoryScores[t.categoryIndex] += t.weight
            if let si = t.subcategoryIndex {
                subcategoryScores[t.categoryIndex][si] += t.weight
            }
        }

        let winner = self.winningCategory(categoryScores)
        let category: Category
        var subcategory: String?
        var keywords: [String] = []
        var score = 0.0
        if let ci = winner {
            let entry = categories[ci]
            category = entry.category
            score = categoryScores[ci]
            subcategory = self.subcategory(of: ci, scores: subcategoryScores[ci], categoryScores: categoryScores)
            for m in matches {
                if let t = self.targets[m.index], t.categoryIndex == ci, !keywords.contains(t.term) {
                    keywords.append(t.term)
                }
            }
        } else {
            category = .other
        }
        let total = categoryScores.reduce(0, +)
        let confidence = total > 0 ? (score / total) * min(1, score / 4) : 0

        let sentimentScore = self.sentiment.score(normalized)
        let sentiment = self.sentiment.sentiment(ofScore: sentimentScore)
        let (level, rule, severityTerms) = self.grade(
            normalized, category: category, sentiment: sentiment, customerTier: customerTier
        )
        return Classification(
            category: category, subcategory: subcategory, sentiment: sentiment, sentimentScore: sentimentScore,
            level: level, levelRule: rule, department: self.taxonomy.department(for: category), keywords: keywords,
            severityTerms: severityTerms, score: score, confidence: confidence
        )
    }

    /// The highest-scoring category; a suggestion wins ties because its markers ("建议",
    /// "please add") say what the text is, while the area words only say what it is about.
    private func winningCategory(_ scores: [Double]) -> Int? {
        var best: Int?
        for (i, s) in scores.enumerated() where s > 0 {
            guard let b = best else {
                best = i
                continue
            }
            if s > scores[b] || (s == scores[b] && self.taxonomy.categories[i].category == .suggestion) {
                best = i
            }
        }
        return best
    }

    /// The best sub-category by its own keywords, else the one related to the runner-up area.
    private func subcategory(of ci: Int, scores: [Double], categoryScores: [Double]) -> String? {
        let subs = self.taxonomy.categories[ci].subcategories
        if let best = scores.indices.max(by: { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }),
            scores[best] > 0
        {
            return subs[best].id
        }
        var bestRelated: (id: String, score: Double)?
        for sub in subs {
            for related in sub.relatedCategories {
                guard let ri = self.taxonomy.categories.firstIndex(where: { $0.category == related }) else { continue }
                let s = categoryScores[ri]
                if s > 0, s > (bestRelated?.score ?? 0) {
                    bestRelated = (sub.id, s)
                }
            }
        }
        return bestRelated?.id
    }

    /// The level, its rule and the severity terms for a category and sentiment, which
    /// ``HybridClassifier`` may have changed from the keywords' own.
    func grade(
        _ text: NormalizedText, category: Category, sentiment: Sentiment, customerTier: CustomerTier?
    ) -> (Level, LevelRule, [String]) {
        let rules = self.levelRules
        let always = self.alwaysUrgent.matches(in: text).map { rules.alwaysUrgent[$0.index] }
        let whenNegative =
            sentiment == .negative
            ? self.urgentWhenNegative.matches(in: text).map { rules.urgentWhenNegative[$0.index] } : []
        var severity: [String] = []
        for term in always + whenNegative where !severity.contains(term) {
            severity.append(term)
        }
        let isComplaintCategory = rules.complaintCategories.contains(category)
        let isVIPComplaint =
            customerTier == .vip && category != .suggestion
            && (sentiment == .negative || (isComplaintCategory && sentiment != .positive))
        if isVIPComplaint {
            return (.urgent, .vipCustomer, severity)
        }
        if !severity.isEmpty {
            return (.urgent, .severityWords, severity)
        }
        if sentiment == .negative && isComplaintCategory {
            return (.important, .negativeComplaint, severity)
        }
        return (.general, .defaultGeneral, severity)
    }
}
