import FeedloopCore
import Postgres

/// Duplicates and rejections per day, channel and tier (`analytics_verdict_counts`). The
/// classifier's trigger records one verdict per ticket, which takes no lock another classifier
/// replica could wait on; the analytics worker folds the uncounted ones into the counts in
/// each batch, and a report adds what is not folded yet, in the same statement.
public enum VerdictCounts {
    /// Verdicts folded per call at most: a backlog drains over a few batches instead of
    /// holding one transaction long.
    static let foldLimit = 5000

    /// Counts uncounted verdicts once: a verdict another replica is folding is skipped, and
    /// the `NOT counted` recheck keeps one from being counted twice.
    public static func fold(in db: PostgresConnection) throws {
        try db.query(
            """
            WITH taken AS (
                UPDATE analytics_verdicts v SET counted = true
                WHERE v.ticket_id IN (SELECT ticket_id FROM analytics_verdicts WHERE NOT counted LIMIT \(foldLimit) FOR UPDATE SKIP LOCKED)
                  AND NOT v.counted
                RETURNING v.state, v.day, v.channel, v.tier
            )
            INSERT INTO analytics_verdict_counts (grain, day, channel, tier, duplicates, rejected)
            SELECT g.grain, CASE g.grain WHEN 'm' THEN date_trunc('month', t.day)::date ELSE t.day END AS bucket, t.channel, t.tier,
                   count(*) FILTER (WHERE t.state = 'duplicate'), count(*) FILTER (WHERE t.state = 'rejected')
            FROM taken t CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (grain, day, channel, tier) DO UPDATE SET
                duplicates = analytics_verdict_counts.duplicates + EXCLUDED.duplicates,
                rejected = analytics_verdict_counts.rejected + EXCLUDED.rejected
            """)
    }

    /// Duplicates and rejected tickets in `cover`, folded or not, under `filter` (channel and
    /// tier only; any other filter leaves none: a verdict has no department or category).
    static func read(_ cover: RollupCover, start: LocalDate, end: LocalDate, filter: ReportFilter, in db: PostgresConnection) throws -> (
        duplicates: Int64, rejected: Int64
    ) {
        var p = SQLParameters()
        let condition = cover.condition(&p)
        let folded = p.filter(filter, columns: ["channel", "tier"], strict: true)
        let s = p.add(.text(start.description))
        let e = p.add(.text(end.description))
        let pending = p.filter(filter, columns: ["channel", "tier"], strict: true)
        let row = try db.query(
            """
            SELECT (SELECT coalesce(sum(duplicates), 0) FROM analytics_verdict_counts WHERE \(condition)\(folded))::int8
                 + (SELECT count(*) FROM analytics_verdicts WHERE NOT counted AND state = 'duplicate' AND day BETWEEN \(s)::date AND \(e)::date\(pending))::int8,
                   (SELECT coalesce(sum(rejected), 0) FROM analytics_verdict_counts WHERE \(condition)\(folded))::int8
                 + (SELECT count(*) FROM analytics_verdicts WHERE NOT counted AND state = 'rejected' AND day BETWEEN \(s)::date AND \(e)::date\(pending))::int8
            """, p.values)[0]
        return (try row.decode(Int64.self, at: 0), try row.decode(Int64.self, at: 1))
    }
}
