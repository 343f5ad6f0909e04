/// A ``SentimentLexicon`` compiled for matching; scores text from negative to positive.
struct SentimentScorer: Sendable {
    private enum Role: Sendable {
        case polarity(Double)
        case negator
        case contrast
        case neutral
    }

    private let matcher: KeywordMatcher
    private let roles: [Role]
    /// Scores within this distance of zero are neutral, so one polite "谢谢" in a plain
    /// question does not make it positive.
    static let neutralBand = 0.5
    /// A negated complaint word ("not bad", "没问题") is only mildly positive.
    static let negatedNegativeFactor = 0.5
    /// The clause after a contrast ("…, but it broke") decides more than the one before.
    static let afterContrastFactor = 1.5

    init(lexicon: SentimentLexicon) {
        var terms: [String] = []
        var roles: [Role] = []
        for k in lexicon.positive { terms.append(k.term); roles.append(.polarity(k.weight)) }
        for k in lexicon.negative { terms.append(k.term); roles.append(.polarity(-k.weight)) }
        for t in lexicon.negators { terms.append(t); roles.append(.negator) }
        for t in lexicon.contrasts { terms.append(t); roles.append(.contrast) }
        for t in lexicon.neutral { terms.append(t); roles.append(.neutral) }
        self.matcher = KeywordMatcher(terms: terms)
        self.roles = roles
    }

    /// The summed score: below zero negative, above zero positive.
    func score(_ text: NormalizedText) -> Double {
        let matches = KeywordMatcher.removingContained(self.matcher.matches(in: text))
        var total = 0.0
        var lastNegator: KeywordMatch?
        var contrastSeen = false
        for m in matches {
            switch self.roles[m.index] {
            case .negator:
                lastNegator = m
            case .contrast:
                contrastSeen = true
                lastNegator = nil
            case .neutral:
                continue
            case .polarity(var value):
                if let n = lastNegator, Self.negates(n, m, in: text.scalars) {
                    value = value > 0 ? -value : -value * Self.negatedNegativeFactor
                }
                if contrastSeen {
                    value *= Self.afterContrastFactor
                }
                total += value
            }
        }
        return total
    }

    func sentiment(ofScore score: Double) -> Sentiment {
        if score > Self.neutralBand { return .positive }
        if score < -Self.neutralBand { return .negative }
        return .neutral
    }

    /// A negator reaches a word shortly after it in the same clause: two characters for
    /// Chinese ("不太满意"), a few words for English ("not very good").
    private static func negates(_ negator: KeywordMatch, _ word: KeywordMatch, in s: [Unicode.Scalar]) -> Bool {
        guard negator.range.lowerBound < word.range.lowerBound else { return false }
        let gapStart = min(negator.range.upperBound, word.range.lowerBound)
        let gap = s[gapStart..<word.range.lowerBound]
        if gap.contains(where: NormalizedText.isClauseBreak) { return false }
        let isChinese = !s[word.range.lowerBound].isASCII
        return gap.count <= (isChinese ? 2 : 12)
    }
}
