import Foundation

/// A comparison operator of the contradiction rule language: `<`, `<=`, `=` (or `==`), `!=`,
/// `>=`, `>`.
public enum ScoreComparison: String, CaseIterable, Hashable, Sendable {
    case less = "<"
    case lessOrEqual = "<="
    case equal = "="
    case notEqual = "!="
    case greaterOrEqual = ">="
    case greater = ">"

    public func holds(_ lhs: Int, _ rhs: Int) -> Bool {
        switch self {
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .greaterOrEqual: lhs >= rhs
        case .greater: lhs > rhs
        }
    }
}

/// One condition of a contradiction rule, written `">= 4"` in the configuration: the item's
/// score compared with a constant.
public struct ScoreCondition: Hashable, Sendable, CustomStringConvertible {
    public var item: SurveyItem
    public var comparison: ScoreComparison
    public var value: Int

    public init(item: SurveyItem, comparison: ScoreComparison, value: Int) {
        self.item = item
        self.comparison = comparison
        self.value = value
    }

    /// Parses the right-hand side `">= 4"`, `"<=1"`, `"== 3"` or a bare `3` (meaning `=`);
    /// returns nil when it is none of them. Range checks are the loader's.
    public static func parse(_ text: String, item: SurveyItem) -> ScoreCondition? {
        let s = text.trimmingCharacters(in: .whitespaces)
        // Longest operators first, so that "<=" is not read as "<" followed by "=4".
        let spellings: [(String, ScoreComparison)] = [
            ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("!=", .notEqual), ("==", .equal),
            ("<", .less), (">", .greater), ("=", .equal),
        ]
        var comparison = ScoreComparison.equal
        var rest = Substring(s)
        for (spelling, op) in spellings where s.hasPrefix(spelling) {
            comparison = op
            rest = s.dropFirst(spelling.count)
            break
        }
        guard let value = Int(rest.trimmingCharacters(in: .whitespaces)) else { return nil }
        return ScoreCondition(item: item, comparison: comparison, value: value)
    }

    /// Whether the answer's score satisfies it; an unanswered item (a skipped NPS) never does.
    public func holds(in scores: [SurveyItem: Int]) -> Bool {
        guard let score = scores[item] else { return false }
        return comparison.holds(score, value)
    }

    public var description: String { "\(item.name) \(comparison.rawValue) \(value)" }
}
