import FeedloopCore
import Postgres

/// The one aggregation both the rollup reader and the raw recomputation run over their ticket
/// counters: overall, per dimension, per problem and (optionally) per series key, with
/// GROUPING SETS, decoded into ``ReportTotals``.
enum TicketAggregate {
    static let dimensions = ["department", "channel", "category", "subcategory", "level", "tier"]

    /// `source` must have the columns `skey`, the ``dimensions`` and one per ``TicketCounter``.
    static func sql(source: String, breakdowns: Bool, series: Bool) -> String {
        let sums = TicketCounter.allCases.map { "sum(\($0.rawValue))::int8" }.joined(separator: ", ")
        guard breakdowns else {
            // The series alone: every row is one key, marked as grouped by skey only.
            return """
                SELECT \(Int64((1 << dimensions.count) - 1) << 1)::int8, NULL, NULL, NULL, NULL, NULL::int8, NULL, skey, \(sums)
                FROM (\(source)) s GROUP BY skey
                """
        }
        var sets = ["()", "(department)", "(channel)", "(category)", "(level)", "(tier)", "(category, subcategory)"]
        if series { sets.append("(skey)") }
        let grouped = dimensions + (series ? ["skey"] : [])
        let mask = series ? "GROUPING(\(grouped.joined(separator: ", ")))::int8" : "(GROUPING(\(grouped.joined(separator: ", "))) * 2 + 1)::int8"
        return """
            SELECT \(mask), department, channel, category, subcategory, level::int8, tier, \(series ? "skey" : "''"), \(sums)
            FROM (\(source)) s GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))
            """
    }

    /// The rows of `analytics_ticket_margins` that hold the totals over every dimension.
    static let overallMargin = "department = '*' AND channel = '*' AND category = '*' AND subcategory = '*' AND level = -1 AND tier = '*'"

    /// The same result as ``sql(source:breakdowns:series:)`` without a series, from margin
    /// rows (docs/ANALYTICS.md "Rollups"): each margin is already one grouping, marked by '*'
    /// (level -1) in the dimensions it sums over, so its mask follows from those marks.
    static func marginSQL(source: String) -> String {
        let sums = TicketCounter.allCases.map { "sum(\($0.rawValue))::int8" }.joined(separator: ", ")
        let marks = ["department = '*'", "channel = '*'", "category = '*'", "subcategory = '*'", "level = -1", "tier = '*'"]
        let mask = marks.enumerated().map { "(\($1))::int * \(1 << (dimensions.count - $0))" }.joined(separator: " + ")
        return """
            SELECT (\(mask) + 1)::int8, department, channel, category, subcategory, level::int8, tier, '', \(sums)
            FROM (\(source)) s GROUP BY department, channel, category, subcategory, level, tier
            """
    }

    static func accumulate(_ rows: PostgresResult, series: Bool, into totals: inout ReportTotals) throws {
        // The mask always has one bit per dimension and one for skey (set when not grouped).
        let width = dimensions.count + 1
        for row in rows {
            let mask = try row.decode(Int64.self, at: 0)
            // Bit (width-1-i) is 0 when column i is grouped.
            func grouped(_ i: Int) -> Bool { mask & (1 << Int64(width - 1 - i)) == 0 }
            var counters = TicketCounters()
            for (i, c) in TicketCounter.allCases.enumerated() {
                counters[c] = try row.decode(Int64?.self, at: 8 + i) ?? 0
            }
            let text = { (i: Int) in try row.decode(String?.self, at: i) ?? "" }
            if series && grouped(6) {
                totals.series[try text(7)] = counters
            } else if grouped(2) && grouped(3) {
                totals.problems[ReportTotals.ProblemKey(category: try text(3), subcategory: try text(4))] = counters[.classified]
            } else if grouped(0) {
                totals.byDimension[.department, default: [:]][try text(1)] = counters
            } else if grouped(1) {
                totals.byDimension[.channel, default: [:]][try text(2)] = counters
            } else if grouped(2) {
                totals.byDimension[.category, default: [:]][try text(3)] = counters
            } else if grouped(4) {
                totals.byDimension[.level, default: [:]][String(try row.decode(Int64?.self, at: 5) ?? 0)] = counters
            } else if grouped(5) {
                totals.byDimension[.tier, default: [:]][try text(6)] = counters
            } else {
                totals.overall = counters
            }
        }
    }
}
