/// Quantiles of a sample: the exact value for small samples and tests, and the estimate from a
/// ``DurationHistogram`` that reports use.
public enum Quantile {
    /// The `q` quantile (0…1) by linear interpolation between order statistics (Hyndman and
    /// Fan type 7, the default of R and NumPy): the median of 1, 2, 3, 4 is 2.5, the 0.9
    /// quantile of 1…10 is 9.1. Nil for an empty sample.
    public static func exact(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The median, ``exact(_:_:)`` at 0.5.
    public static func median(_ values: [Double]) -> Double? { exact(values, 0.5) }
}
