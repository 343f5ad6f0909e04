import FeedloopCore
import Postgres

/// Reads a period's ``ReportTotals`` from the rollup tables only: a few thousand rows,
/// whatever the number of tickets (docs/ANALYTICS.md "Rollups").
public enum RollupReader {
    static let ticketColumns = "department, channel, category, subcategory, level, tier, " + TicketCounter.allCases.map(\.rawValue).joined(separator: ", ")

    /// Open and overdue tickets at the end of a period.
    public struct Balance: Sendable {
        public var open: Int64
        public var overdue: Int64
    }

    /// `balanceAtEnd`, when known (the previous period's follows from the current one's),
    /// saves the one query that reads every month up to the period's end.
    public static func totals(_ period: ReportPeriod, filter: ReportFilter, balanceAtEnd: Balance? = nil, in db: PostgresConnection) throws
        -> ReportTotals
    {
        var totals = ReportTotals()
        let dataThrough = try RollupCover.lastDay(in: db)
        let cover = RollupCover(from: period.start, through: period.end, dataThrough: dataThrough)
        let daily = period.dayCount <= ReportAssembler.longestDailySeries
        let allColumns: Set<String> = ["department", "channel", "category", "level", "tier"]
        // Without a filter, the margins hold every figure the report shows in a few dozen rows
        // a day; a filter needs the cells.
        let margins = filter.isEmpty
        let table = margins ? "analytics_ticket_margins" : "analytics_ticket_counts"
        let overallOnly = margins ? " AND " + TicketAggregate.overallMargin : ""

        // Overall, breakdowns and problems; for long periods with a filter the month series
        // too, since it sums the same cells (one read of them instead of two).
        let seriesFromCells = !daily && !margins
        do {
            var p = SQLParameters()
            let key = seriesFromCells ? "to_char(day, 'YYYY-MM')" : "''::text"
            let source = "SELECT \(key) AS skey, \(ticketColumns) FROM \(table) WHERE \(cover.condition(&p))\(p.filter(filter, columns: allColumns))"
            let sql =
                margins
                ? TicketAggregate.marginSQL(source: source) : TicketAggregate.sql(source: source, breakdowns: true, series: seriesFromCells)
            try TicketAggregate.accumulate(db.query(sql, p.values), series: seriesFromCells, into: &totals)
        }
        // The series otherwise: day rows, or month keys of the overall margins.
        if !seriesFromCells {
            var p = SQLParameters()
            let source: String
            if daily {
                let s = p.add(.text(period.start.description))
                let e = p.add(.text(period.end.description))
                source =
                    "SELECT day::text AS skey, \(ticketColumns) FROM \(table) WHERE grain = 'd' AND day BETWEEN \(s)::date AND \(e)::date"
                    + overallOnly + p.filter(filter, columns: allColumns)
            } else {
                source = "SELECT to_char(day, 'YYYY-MM') AS skey, \(ticketColumns) FROM \(table) WHERE \(cover.condition(&p))" + overallOnly
            }
            try TicketAggregate.accumulate(
                db.query(TicketAggregate.sql(source: source, breakdowns: false, series: true), p.values), series: true, into: &totals)
        }
        // Open and overdue at the end of the period.
        if let balanceAtEnd {
            totals.stillOpen = balanceAtEnd.open
            totals.overdue = balanceAtEnd.overdue
        } else {
            var p = SQLParameters()
            let through = RollupCover.through(period.end, dataThrough: dataThrough)
            let rows = try db.query(
                """
                SELECT coalesce(sum(open_delta), 0)::int8, coalesce(sum(overdue_delta), 0)::int8 FROM \(table)
                WHERE \(through.condition(&p))\(overallOnly)\(p.filter(filter, columns: allColumns))
                """, p.values)
            totals.stillOpen = try rows[0].decode(Int64.self, at: 0)
            totals.overdue = try rows[0].decode(Int64.self, at: 1)
        }
        (totals.duplicates, totals.rejected) = try VerdictCounts.read(cover, start: period.start, end: period.end, filter: filter, in: db)
        let scope = Self.scope(filter)
        // Escalations per step.
        do {
            var p = SQLParameters()
            let rows = try db.query(
                """
                SELECT metric, step::int8, sum(count)::int8 FROM analytics_escalations
                WHERE \(cover.condition(&p))\(scope)\(p.filter(filter, columns: allColumns)) GROUP BY metric, step
                """, p.values)
            for row in rows {
                guard let metric = SLAMetric(rawValue: try row.decode(String.self, at: 0)) else { continue }
                totals.escalationSteps[.init(metric: metric, step: Int(try row.decode(Int64.self, at: 1)))] = try row.decode(Int64.self, at: 2)
            }
        }
        // Duration histograms.
        do {
            var p = SQLParameters()
            let rows = try db.query(
                """
                SELECT metric, bucket::int8, sum(count)::int8 FROM analytics_durations
                WHERE \(cover.condition(&p))\(scope)\(p.filter(filter, columns: ["department", "category", "level", "tier"])) GROUP BY metric, bucket
                """, p.values)
            for row in rows {
                guard let metric = SLAMetric(rawValue: try row.decode(String.self, at: 0)) else { continue }
                totals.durations[metric, default: [:]][Int(try row.decode(Int64.self, at: 1))] = try row.decode(Int64.self, at: 2)
            }
        }
        // Keywords.
        do {
            var p = SQLParameters()
            let rows = try db.query(
                """
                SELECT keyword, sum(count)::int8 FROM analytics_keywords
                WHERE \(cover.condition(&p))\(scope)\(p.filter(filter, columns: ["department", "category"])) GROUP BY keyword
                """, p.values)
            for row in rows { totals.keywords[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1) }
        }
        try readSurveys(period, cover: cover, daily: daily, filter: filter, into: &totals, in: db)
        return totals
    }

    /// Which rows of the escalation, duration, keyword and survey rollups a report sums: the
    /// overall rows ('*' in every dimension) without a filter, the others with one.
    static func scope(_ filter: ReportFilter) -> String {
        filter.isEmpty ? " AND department = '*'" : " AND department <> '*'"
    }

    static let surveyColumns = """
        coalesce(sum(answers), 0)::int8, coalesce(sum(invalid), 0)::int8, coalesce(sum(followups), 0)::int8, coalesce(sum(overall_high), 0)::int8, \
        coalesce(sum(nps_answers), 0)::int8, coalesce(sum(promoters), 0)::int8, coalesce(sum(detractors), 0)::int8, \
        coalesce(sum(total_sum), 0)::float8, coalesce(sum(total_squares), 0)::float8, coalesce(sum(too_fast), 0)::int8, \
        coalesce(sum(straight_lining), 0)::int8, coalesce(sum(contradictory), 0)::int8, coalesce(sum(repeated), 0)::int8
        """

    /// Decodes ``surveyColumns`` starting at `offset`.
    static func surveyTotals(_ row: PostgresRow, at offset: Int) throws -> SurveyTotals {
        var t = SurveyTotals()
        t.answers = try row.decode(Int64.self, at: offset)
        t.invalid = try row.decode(Int64.self, at: offset + 1)
        t.followups = try row.decode(Int64.self, at: offset + 2)
        t.overallHigh = try row.decode(Int64.self, at: offset + 3)
        t.npsAnswers = try row.decode(Int64.self, at: offset + 4)
        t.promoters = try row.decode(Int64.self, at: offset + 5)
        t.detractors = try row.decode(Int64.self, at: offset + 6)
        t.totalSum = try row.decode(Double.self, at: offset + 7)
        t.totalSquares = try row.decode(Double.self, at: offset + 8)
        for (i, kind) in [SurveyFlagKind.tooFast, .straightLining, .contradictory, .repeat].enumerated() {
            let n = try row.decode(Int64.self, at: offset + 9 + i)
            if n != 0 { t.flags[kind] = n }
        }
        return t
    }

    static func readSurveys(
        _ period: ReportPeriod, cover: RollupCover, daily: Bool, filter: ReportFilter, into totals: inout ReportTotals, in db: PostgresConnection
    )
        throws
    {
        let columns: Set<String> = ["department", "channel", "category", "level", "tier"]
        let scope = Self.scope(filter)
        var p = SQLParameters()
        for row in try db.query(
            "SELECT survey_id, \(surveyColumns) FROM analytics_surveys WHERE \(cover.condition(&p))\(scope)\(p.filter(filter, columns: columns)) GROUP BY survey_id",
            p.values)
        {
            totals.surveys[try row.decode(String.self, at: 0)] = try surveyTotals(row, at: 1)
        }
        var q = SQLParameters()
        for row in try db.query(
            """
            SELECT survey_id, dimension, sum(n)::int8, sum(sum)::float8, sum(squares)::float8 FROM analytics_survey_dimensions
            WHERE \(cover.condition(&q))\(scope)\(q.filter(filter, columns: columns)) GROUP BY survey_id, dimension
            """, q.values)
        {
            let id = try row.decode(String.self, at: 0)
            totals.surveys[id, default: SurveyTotals()].dimensions[try row.decode(String.self, at: 1)] = DimensionSums(
                n: try row.decode(Int64.self, at: 2), sum: try row.decode(Double.self, at: 3), squares: try row.decode(Double.self, at: 4))
        }
        var r = SQLParameters()
        let source: String
        if daily {
            let s = r.add(.text(period.start.description))
            let e = r.add(.text(period.end.description))
            source = "SELECT day::text AS skey FROM analytics_surveys WHERE grain = 'd' AND day BETWEEN \(s)::date AND \(e)::date"
        } else {
            source = "SELECT to_char(day, 'YYYY-MM') AS skey FROM analytics_surveys WHERE \(cover.condition(&r))"
        }
        let seriesSQL =
            source.replacingOccurrences(of: " AS skey FROM", with: " AS skey, \(surveyColumns) FROM") + scope + r.filter(filter, columns: columns)
            + " GROUP BY 1"
        for row in try db.query(seriesSQL, r.values) {
            totals.surveySeries[try row.decode(String.self, at: 0)] = try surveyTotals(row, at: 1)
        }
    }
}
