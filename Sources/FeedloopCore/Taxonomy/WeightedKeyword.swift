/// A keyword and how strongly it points to its category or sub-category.
///
/// A term containing only ASCII is matched as a word (case-insensitive, with common English
/// endings such as "crashes"); any other term is matched as a substring, as Chinese has no
/// spaces between words.
public struct WeightedKeyword: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The word or phrase, in any case.
    public var term: String
    /// How much one occurrence adds to the score; phrases that settle a question weigh more.
    public var weight: Double

    /// Creates a keyword.
    public init(_ term: String, weight: Double = 1) {
        self.term = term
        self.weight = weight
    }

    /// A keyword of weight 1.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
