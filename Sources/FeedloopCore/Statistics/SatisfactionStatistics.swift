/// The satisfaction figures, computed from counts and sums so that they can be added up
/// across days and groups before the division.
public enum SatisfactionStatistics {
    /// Share of answers with an overall score of 4 or 5; nil without answers.
    public static func csat(high: Int64, answers: Int64) -> Double? {
        answers > 0 ? Double(high) / Double(answers) : nil
    }

    /// Net Promoter Score: promoters (9–10) minus detractors (0–6), as a percentage of the
    /// answers with a 0–10 score (−100…100); nil without such answers.
    public static func nps(promoters: Int64, detractors: Int64, answers: Int64) -> Double? {
        answers > 0 ? 100 * Double(promoters - detractors) / Double(answers) : nil
    }

    /// Whether a 0–10 recommendation score is a promoter (9–10), detractor (0–6) or passive.
    public static func npsGroup(_ score: Int) -> NPSGroup {
        score >= 9 ? .promoter : (score <= 6 ? .detractor : .passive)
    }

    public enum NPSGroup: Sendable { case promoter, passive, detractor }

    /// Mean of `n` values summing to `sum`; nil for none.
    public static func mean(sum: Double, n: Int64) -> Double? {
        n > 0 ? sum / Double(n) : nil
    }

    /// Sample variance (n − 1 in the denominator) from n, Σx and Σx²; nil below two values.
    public static func variance(n: Int64, sum: Double, squares: Double) -> Double? {
        guard n >= 2 else { return nil }
        let count = Double(n)
        return max(0, (squares - sum * sum / count) / (count - 1))
    }

    /// Cronbach's α of a scale of k items: `k/(k−1) · (1 − Σ var(item) / var(total))`, from the
    /// same n answers' item sums and the sums of their totals. Nil with fewer than two items,
    /// fewer than two answers, or totals without variance.
    public static func cronbachAlpha(items: [(sum: Double, squares: Double)], n: Int64, totalSum: Double, totalSquares: Double) -> Double? {
        let k = Double(items.count)
        guard items.count >= 2, let totalVariance = variance(n: n, sum: totalSum, squares: totalSquares), totalVariance > 0 else { return nil }
        var itemVariances = 0.0
        for item in items {
            guard let v = variance(n: n, sum: item.sum, squares: item.squares) else { return nil }
            itemVariances += v
        }
        return k / (k - 1) * (1 - itemVariances / totalVariance)
    }

    /// Cronbach's α straight from the answers (one row per respondent, one column per item).
    public static func cronbachAlpha(answers: [[Double]]) -> Double? {
        guard let k = answers.first?.count, answers.allSatisfy({ $0.count == k }) else { return nil }
        var items = Array(repeating: (sum: 0.0, squares: 0.0), count: k)
        var totalSum = 0.0
        var totalSquares = 0.0
        for row in answers {
            for (i, x) in row.enumerated() {
                items[i].sum += x
                items[i].squares += x * x
            }
            let total = row.reduce(0, +)
            totalSum += total
            totalSquares += total * total
        }
        return cronbachAlpha(items: items, n: Int64(answers.count), totalSum: totalSum, totalSquares: totalSquares)
    }

    /// `part / whole`; nil when nothing is in the whole.
    public static func share(_ part: Int64, of whole: Int64) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }
}
