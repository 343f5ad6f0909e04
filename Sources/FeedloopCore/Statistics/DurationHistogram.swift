import Foundation

/// Fixed log-scale buckets for durations in seconds, so that rollups can be added up across
/// days, departments and replicas and still give a median and p90.
///
/// Bucket 0 holds everything under a minute; bucket `b ≥ 1` holds `[60·r^(b-1), 60·r^b)` with
/// `r = 2^(1/8)` (each bucket 9 % wider than the last), up to ``lastBucket`` (about 3.4
/// years) which also takes anything longer. A quantile is reported as the geometric middle of
/// the bucket holding it, so it is within 4.5 % of the exact order statistic.
public enum DurationHistogram {
    /// Buckets per doubling.
    public static let bucketsPerDoubling = 8.0
    /// Start of bucket 1, in seconds.
    public static let firstBound = 60.0
    public static let lastBucket = 220

    /// The bucket `seconds` falls in; negative durations (clock skew) count as 0.
    public static func bucket(forSeconds seconds: Double) -> Int {
        guard seconds >= firstBound else { return 0 }
        let b = Int((log2(seconds / firstBound) * bucketsPerDoubling).rounded(.down)) + 1
        return min(b, lastBucket)
    }

    /// The lower bound of `bucket`, in seconds.
    public static func lowerBound(_ bucket: Int) -> Double {
        bucket <= 0 ? 0 : firstBound * pow(2, Double(bucket - 1) / bucketsPerDoubling)
    }

    /// The value reported for `bucket`: its geometric middle (30 s for bucket 0).
    public static func representative(_ bucket: Int) -> Double {
        bucket <= 0 ? firstBound / 2 : firstBound * pow(2, (Double(bucket) - 0.5) / bucketsPerDoubling)
    }

    /// The `q` quantile of the durations counted in `counts` (bucket → count), by nearest
    /// rank (the smallest bucket whose cumulative count reaches `q·n`). Nil when empty.
    public static func quantile(_ counts: [Int: Int64], _ q: Double) -> Double? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int64((min(max(q, 0), 1) * Double(total)).rounded(.up)))
        var seen: Int64 = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket]!
            if seen >= rank { return representative(bucket) }
        }
        return representative(counts.keys.max()!)
    }
}
