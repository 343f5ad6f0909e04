import FeedloopCore
import Foundation
import Postgres

/// Recomputes a period's ``ReportTotals`` from the raw tables (tickets, ticket_actions,
/// escalations, sla_clocks, survey_responses) by the rollups' own definitions: what
/// `feedloopctl report verify` compares the rollups with. Scans the tables; not for serving.
public enum RawTotals {
    /// Every counted happening as (ticket, instant, counter, n), by the definitions in
    /// docs/ANALYTICS.md; `$1` is the time zone.
    static let events = """
        WITH first_actions AS (
            SELECT DISTINCT ON (ticket_id, action) ticket_id, action, id, at FROM ticket_actions
            WHERE action IN ('respond', 'plan') ORDER BY ticket_id, action, id
        ), resolves AS (
            SELECT a.ticket_id, a.at,
                   1 + (SELECT count(*) FROM ticket_actions r WHERE r.ticket_id = a.ticket_id AND r.action = 'reopen' AND r.id < a.id) AS cycle
            FROM ticket_actions a WHERE a.action = 'resolve'
        ), stops AS (
            SELECT ticket_id, CASE action WHEN 'respond' THEN 'first_response' ELSE 'plan' END AS metric, 1::bigint AS cycle, at FROM first_actions
            UNION ALL SELECT ticket_id, 'resolution', cycle, at FROM resolves
        ), breaches AS (
            SELECT ticket_id, metric, cycle::bigint AS cycle, escalated_at AS at FROM escalations WHERE step = 1
        ), clocks AS (
            SELECT coalesce(s.ticket_id, b.ticket_id) AS ticket_id, coalesce(s.metric, b.metric) AS metric, s.at AS stopped, b.at AS breached,
                   (b.at IS NOT NULL AND (s.at IS NULL OR b.at <= s.at)) AS counts
            FROM stops s FULL JOIN breaches b ON s.ticket_id = b.ticket_id AND s.metric = b.metric AND s.cycle = b.cycle
        ), events (ticket_id, at, counter, n) AS (
            SELECT id, received_at, 'received', 1 FROM tickets
            UNION ALL SELECT id, received_at, 'open_delta', 1 FROM tickets WHERE classified_at IS NOT NULL
            UNION ALL SELECT id, received_at, 'classified', 1 FROM tickets WHERE classified_at IS NOT NULL
            UNION ALL SELECT ticket_id, at, 'resolved', 1 FROM ticket_actions WHERE action = 'resolve'
            UNION ALL SELECT ticket_id, at, 'open_delta', -1 FROM ticket_actions WHERE action = 'resolve'
            UNION ALL SELECT ticket_id, at, 'reopened', 1 FROM ticket_actions WHERE action = 'reopen'
            UNION ALL SELECT ticket_id, at, 'open_delta', 1 FROM ticket_actions WHERE action = 'reopen'
            UNION ALL SELECT ticket_id, at, 'closed', 1 FROM ticket_actions WHERE action = 'close'
            UNION ALL SELECT ticket_id, escalated_at, 'escalated', 1 FROM escalations WHERE step = 1
            UNION ALL SELECT ticket_id, warned_at, metric || '_warned', 1 FROM sla_clocks WHERE warned_at IS NOT NULL
            UNION ALL SELECT ticket_id, stopped, metric || CASE WHEN counts THEN '_breached' ELSE '_met' END, 1 FROM clocks WHERE stopped IS NOT NULL
            UNION ALL SELECT ticket_id, breached, 'overdue_delta', 1 FROM clocks WHERE counts
            UNION ALL SELECT ticket_id, stopped, 'overdue_delta', -1 FROM clocks WHERE counts AND stopped IS NOT NULL
        ), cells AS (
            SELECT (e.at AT TIME ZONE $1)::date AS day, coalesce(t.department, '') AS department, t.channel, coalesce(t.category, '') AS category,
                   coalesce(t.subcategory, '') AS subcategory, coalesce(t.level, 0) AS level, coalesce(t.customer_tier, '') AS tier, e.counter, e.n
            FROM events e JOIN tickets t ON t.id = e.ticket_id
        )
        """

    static var pivot: String {
        TicketCounter.allCases.map { "coalesce(sum(n) FILTER (WHERE counter = '\($0.rawValue)'), 0) AS \($0.rawValue)" }.joined(separator: ", ")
    }

    public static func totals(_ period: ReportPeriod, filter: ReportFilter, in db: PostgresConnection) throws -> ReportTotals {
        var totals = ReportTotals()
        let columns: Set<String> = ["department", "channel", "category", "level", "tier"]
        let daily = period.dayCount <= ReportAssembler.longestDailySeries
        let skey = daily ? "day::text" : "to_char(day, 'YYYY-MM')"
        do {
            var p = SQLParameters()
            _ = p.add(.text(period.timeZone))
            let s = p.add(.text(period.start.description))
            let e = p.add(.text(period.end.description))
            let source = """
                SELECT \(skey) AS skey, department, channel, category, subcategory, level, tier, \(pivot) FROM cells
                WHERE day BETWEEN \(s)::date AND \(e)::date\(p.filter(filter, columns: columns))
                GROUP BY 1, department, channel, category, subcategory, level, tier
                """
            let sql = events + TicketAggregate.sql(source: source, breakdowns: true, series: true)
            try TicketAggregate.accumulate(db.query(sql, p.values), series: true, into: &totals)
        }
        do {
            var p = SQLParameters()
            _ = p.add(.text(period.timeZone))
            let e = p.add(.text(period.end.description))
            let rows = try db.query(
                events + """
                    SELECT coalesce(sum(n) FILTER (WHERE counter = 'open_delta'), 0)::int8, coalesce(sum(n) FILTER (WHERE counter = 'overdue_delta'), 0)::int8
                    FROM cells WHERE day <= \(e)::date\(p.filter(filter, columns: columns))
                    """, p.values)
            totals.stillOpen = try rows[0].decode(Int64.self, at: 0)
            totals.overdue = try rows[0].decode(Int64.self, at: 1)
        }
        do {
            var p = SQLParameters()
            let tz = p.add(.text(period.timeZone))
            let s = p.add(.text(period.start.description))
            let e = p.add(.text(period.end.description))
            let rows = try db.query(
                """
                SELECT count(*) FILTER (WHERE state = 'duplicate' AND day >= \(s)::date)::int8,
                       count(*) FILTER (WHERE state = 'rejected' AND day >= \(s)::date)::int8
                FROM (SELECT state, (state_changed_at AT TIME ZONE \(tz))::date AS day, channel, coalesce(customer_tier, '') AS tier
                      FROM tickets WHERE state IN ('duplicate', 'rejected')) v
                WHERE day <= \(e)::date\(p.filter(filter, columns: ["channel", "tier"], strict: true))
                """, p.values)
            totals.duplicates = try rows[0].decode(Int64.self, at: 0)
            totals.rejected = try rows[0].decode(Int64.self, at: 1)
        }
        try readEscalationsAndDurations(period, filter: filter, into: &totals, in: db)
        try readKeywords(period, filter: filter, into: &totals, in: db)
        try readSurveys(period, filter: filter, daily: daily, into: &totals, in: db)
        return totals
    }

    /// `FROM tickets t` dimensions under the rollups' names, for filters.
    static let ticketDimensions = """
        coalesce(t.department, '') AS department, t.channel, coalesce(t.category, '') AS category, coalesce(t.level, 0) AS level, \
        coalesce(t.customer_tier, '') AS tier
        """

    static func readEscalationsAndDurations(_ period: ReportPeriod, filter: ReportFilter, into totals: inout ReportTotals, in db: PostgresConnection) throws {
        var p = SQLParameters()
        let tz = p.add(.text(period.timeZone))
        let s = p.add(.text(period.start.description))
        let e = p.add(.text(period.end.description))
        for row in try db.query(
            """
            SELECT metric, step::int8, count(*)::int8 FROM (
                SELECT x.metric, x.step, (x.escalated_at AT TIME ZONE \(tz))::date AS day, \(ticketDimensions)
                FROM escalations x JOIN tickets t ON t.id = x.ticket_id) v
            WHERE day BETWEEN \(s)::date AND \(e)::date\(p.filter(filter, columns: ["department", "channel", "category", "level", "tier"]))
            GROUP BY metric, step
            """, p.values)
        {
            guard let metric = SLAMetric(rawValue: try row.decode(String.self, at: 0)) else { continue }
            totals.escalationSteps[.init(metric: metric, step: Int(try row.decode(Int64.self, at: 1)))] = try row.decode(Int64.self, at: 2)
        }
        // Seconds from receipt to each first reply, first plan and resolution; bucketed here with
        // the same function the rollup uses.
        var q = SQLParameters()
        let tz2 = q.add(.text(period.timeZone))
        let s2 = q.add(.text(period.start.description))
        let e2 = q.add(.text(period.end.description))
        for row in try db.query(
            """
            SELECT metric, seconds FROM (
                SELECT CASE a.action WHEN 'respond' THEN 'first_response' WHEN 'plan' THEN 'plan' ELSE 'resolution' END AS metric,
                       extract(epoch FROM a.at - t.received_at)::float8 AS seconds, (a.at AT TIME ZONE \(tz2))::date AS day, \(ticketDimensions)
                FROM ticket_actions a JOIN tickets t ON t.id = a.ticket_id
                WHERE a.action = 'resolve' OR (a.action IN ('respond', 'plan')
                    AND a.id = (SELECT min(f.id) FROM ticket_actions f WHERE f.ticket_id = a.ticket_id AND f.action = a.action))) v
            WHERE day BETWEEN \(s2)::date AND \(e2)::date\(q.filter(filter, columns: ["department", "category", "level", "tier"]))
            """, q.values)
        {
            guard let metric = SLAMetric(rawValue: try row.decode(String.self, at: 0)) else { continue }
            totals.durations[metric, default: [:]][DurationHistogram.bucket(forSeconds: try row.decode(Double.self, at: 1)), default: 0] += 1
        }
    }

    static func readKeywords(_ period: ReportPeriod, filter: ReportFilter, into totals: inout ReportTotals, in db: PostgresConnection) throws {
        var p = SQLParameters()
        let tz = p.add(.text(period.timeZone))
        let s = p.add(.text(period.start.description))
        let e = p.add(.text(period.end.description))
        for row in try db.query(
            """
            SELECT keyword, count(*)::int8 FROM (
                SELECT DISTINCT t.id, k.keyword, (t.received_at AT TIME ZONE \(tz))::date AS day, \(ticketDimensions)
                FROM tickets t, unnest(t.keywords) AS k(keyword) WHERE t.classified_at IS NOT NULL) v
            WHERE day BETWEEN \(s)::date AND \(e)::date\(p.filter(filter, columns: ["department", "category"]))
            GROUP BY keyword
            """, p.values)
        {
            totals.keywords[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
    }

    static func readSurveys(_ period: ReportPeriod, filter: ReportFilter, daily: Bool, into totals: inout ReportTotals, in db: PostgresConnection) throws {
        let answers = { (p: inout SQLParameters) -> String in
            let tz = p.add(.text(period.timeZone))
            let s = p.add(.text(period.start.description))
            let e = p.add(.text(period.end.description))
            return """
                (SELECT r.*, (r.submitted_at AT TIME ZONE \(tz))::date AS day,
                        (SELECT coalesce(sum(value::int), 0) FROM jsonb_each_text(r.scores)) AS total,
                        coalesce(t.department, '') AS department, coalesce(t.channel, '') AS channel, coalesce(t.category, '') AS category,
                        coalesce(t.level, 0) AS level, coalesce(t.customer_tier, '') AS tier
                 FROM survey_responses r LEFT JOIN tickets t ON t.id = r.ticket_id) a
                WHERE a.day BETWEEN \(s)::date AND \(e)::date\(p.filter(filter, columns: ["department", "channel", "category", "level", "tier"], prefix: "a."))
                """
        }
        let sums = """
            count(*) FILTER (WHERE valid)::int8, count(*) FILTER (WHERE NOT valid)::int8, count(ticket_id)::int8,
            count(*) FILTER (WHERE valid AND overall >= 4)::int8, count(nps) FILTER (WHERE valid)::int8,
            count(*) FILTER (WHERE valid AND nps >= 9)::int8, count(*) FILTER (WHERE valid AND nps <= 6)::int8,
            coalesce(sum(total) FILTER (WHERE valid), 0)::float8, coalesce(sum(total * total) FILTER (WHERE valid), 0)::float8,
            count(*) FILTER (WHERE 'too_fast' = ANY(flags))::int8, count(*) FILTER (WHERE 'straight_lining' = ANY(flags))::int8,
            count(*) FILTER (WHERE 'contradictory' = ANY(flags))::int8, count(*) FILTER (WHERE 'repeat' = ANY(flags))::int8
            """
        var p = SQLParameters()
        let from = answers(&p)
        for row in try db.query("SELECT survey_id, \(sums) FROM \(from) GROUP BY survey_id", p.values) {
            totals.surveys[try row.decode(String.self, at: 0)] = try RollupReader.surveyTotals(row, at: 1)
        }
        var q = SQLParameters()
        let from2 = answers(&q)
        for row in try db.query(
            """
            SELECT a.survey_id, d.key, count(*)::int8, sum(d.value::int)::float8, sum(d.value::int * d.value::int)::float8
            FROM \(from2.replacingOccurrences(of: ") a\n", with: ") a CROSS JOIN LATERAL jsonb_each_text(a.scores) AS d\n")) AND a.valid
            GROUP BY a.survey_id, d.key
            """, q.values)
        {
            let id = try row.decode(String.self, at: 0)
            totals.surveys[id, default: SurveyTotals()].dimensions[try row.decode(String.self, at: 1)] = DimensionSums(
                n: try row.decode(Int64.self, at: 2), sum: try row.decode(Double.self, at: 3), squares: try row.decode(Double.self, at: 4))
        }
        var r = SQLParameters()
        let from3 = answers(&r)
        let key = daily ? "a.day::text" : "to_char(a.day, 'YYYY-MM')"
        for row in try db.query("SELECT \(key), \(sums) FROM \(from3) GROUP BY 1", r.values) {
            totals.surveySeries[try row.decode(String.self, at: 0)] = try RollupReader.surveyTotals(row, at: 1)
        }
    }
}
