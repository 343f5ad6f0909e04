import FeedloopCore
import Postgres

/// The rows of `analytics_ticket_margins`: each cell of `analytics_ticket_counts` summed into
/// the groupings an unfiltered report shows (overall, one per dimension, per problem), with
/// '*' (level -1) for a dimension summed over. An unfiltered report reads a few dozen margin
/// rows per day instead of every cell.
public enum TicketMargins {
    static let all = "*"
    static let allLevels = "-1"

    /// Key positions in a cell key: grain, day, department, channel, category, subcategory, level, tier.
    private static let groupings: [Set<Int>] = [[], [2], [3], [4], [6], [7], [4, 5]]

    /// `cells`: cell keys → counter texts, as written to `analytics_ticket_counts`.
    static func rows(of cells: [[String]: [String]]) -> [[String]: [String]] {
        var sums: [[String]: [Int64]] = [:]
        for (key, values) in cells {
            let counts = values.map { Int64($0)! }
            for kept in groupings {
                var margin = key
                for i in 2..<key.count where !kept.contains(i) {
                    margin[i] = i == 6 ? allLevels : all
                }
                if let sum = sums[margin] {
                    sums[margin] = zip(sum, counts).map { $0 + $1 }
                } else {
                    sums[margin] = counts
                }
            }
        }
        return sums.mapValues { $0.map(String.init) }
    }

    /// The other rollups with an overall row per key: their dimension columns, other key
    /// columns and added values.
    static let overallTables: [(table: String, dimensions: [String], keys: [String], values: [String])] = [
        ("analytics_escalations", ["department", "channel", "category", "level", "tier"], ["metric", "step"], ["count"]),
        ("analytics_durations", ["department", "category", "level", "tier"], ["metric", "bucket"], ["count"]),
        ("analytics_keywords", ["department", "category"], ["keyword"], ["count"]),
        (
            "analytics_surveys", ["department", "channel", "category", "level", "tier"], ["survey_id"],
            [
                "answers", "invalid", "followups", "overall_high", "nps_answers", "promoters", "detractors", "total_sum", "total_squares", "too_fast",
                "straight_lining", "contradictory", "repeated",
            ]
        ),
        ("analytics_survey_dimensions", ["department", "channel", "category", "level", "tier"], ["survey_id", "dimension"], ["n", "sum", "squares"]),
    ]

    /// Recomputes the ticket margins from the cells and every other rollup's overall rows from
    /// its rows: what migration 12 did once, and what a bulk load of cells needs (the worker
    /// keeps them in step row by row).
    public static var rebuildSQL: String {
        let counters = TicketCounter.allCases.map(\.rawValue)
        var sql = """
            DELETE FROM analytics_ticket_margins;
            INSERT INTO analytics_ticket_margins (grain, day, department, channel, category, subcategory, level, tier, \(counters.joined(separator: ", ")))
            SELECT grain, day,
                   CASE WHEN GROUPING(department) = 0 THEN department ELSE '*' END, CASE WHEN GROUPING(channel) = 0 THEN channel ELSE '*' END,
                   CASE WHEN GROUPING(category) = 0 THEN category ELSE '*' END, CASE WHEN GROUPING(subcategory) = 0 THEN subcategory ELSE '*' END,
                   CASE WHEN GROUPING(level) = 0 THEN level ELSE -1 END, CASE WHEN GROUPING(tier) = 0 THEN tier ELSE '*' END,
                   \(counters.map { "sum(\($0))" }.joined(separator: ", "))
            FROM analytics_ticket_counts
            GROUP BY grain, day, GROUPING SETS ((), (department), (channel), (category), (level), (tier), (category, subcategory));

            """
        for t in overallTables {
            let marks = t.dimensions.map { $0 == "level" ? "-1" : "'*'" }
            let columns = (["grain", "day"] + t.dimensions + t.keys + t.values).joined(separator: ", ")
            let groups = (["grain", "day"] + t.keys).joined(separator: ", ")
            sql += """
                DELETE FROM \(t.table) WHERE department = '*';
                INSERT INTO \(t.table) (\(columns))
                SELECT grain, day, \((marks + t.keys + t.values.map { "sum(\($0))" }).joined(separator: ", "))
                FROM \(t.table) GROUP BY \(groups);

                """
        }
        return sql
    }
}
