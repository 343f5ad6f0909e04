import FeedloopCore
import FeedloopRuntime
import Postgres

/// The rollup rows `tickets` tickets received from `first` to `last` would leave, generated in
/// the database: every day, every department and category pair of the default routing,
/// every channel, four sub-categories, three levels and three tiers.
struct AnalyticsBenchmarkData {
    var tickets: Int
    var first: LocalDate
    var last: LocalDate

    static let routing =
        "(VALUES ('rd', 'product'), ('customer_service', 'service'), ('logistics', 'logistics'), "
        + "('marketing', 'price'), ('planning', 'suggestion'), ('customer_service', 'other')) AS c(department, category)"
    static let channels = "unnest(ARRAY['hotline', 'chat', 'store', 'email', 'social', 'survey', 'return_visit', 'research']) AS ch(channel)"
    static let tiers = "unnest(ARRAY['vip', 'regular', 'new']) AS tr(tier)"

    func load(into db: PostgresConnection) throws -> (tickets: Int64, counts: [(String, Int)]) {
        let days = first.days(to: last) + 1
        let cells = 6 * 8 * 4 * 3 * 3
        let perCell = Double(tickets) / Double(days * cells)
        let range = "generate_series('\(first)'::date, '\(last)'::date, '1 day') AS d(day)"
        try db.execute(
            script: """
                INSERT INTO analytics_ticket_counts (grain, day, department, channel, category, subcategory, level, tier, received, classified, resolved,
                    reopened, closed, escalated, open_delta, overdue_delta, first_response_met, first_response_breached, plan_met, plan_breached,
                    resolution_met, resolution_breached, first_response_warned, plan_warned, resolution_warned)
                SELECT 'd', day, department, channel, category, category || '_' || s, l, tier, r, r, r * 9 / 10, r / 20, r * 8 / 10, r / 10,
                       r - r * 9 / 10 + r / 20, r / 100, r * 85 / 100, r / 10, CASE WHEN l = 1 THEN r * 9 / 10 ELSE 0 END,
                       CASE WHEN l = 1 THEN r / 20 ELSE 0 END, r * 8 / 10, r / 10, r / 8, CASE WHEN l = 1 THEN r / 12 ELSE 0 END, r / 9
                FROM (SELECT d.day::date AS day, c.department, c.category, ch.channel, s, l, tr.tier, (random() * \(2 * perCell))::int8 AS r
                      FROM \(range), \(Self.routing), \(Self.channels), generate_series(1, 4) AS s, generate_series(1, 3) AS l, \(Self.tiers)) g;

                INSERT INTO analytics_durations (grain, day, department, category, level, tier, metric, bucket, count)
                SELECT 'd', d.day::date, c.department, c.category, l, tr.tier, m.metric, m.center + b, (random() * \(perCell * 32 / 15 * 2))::int8 + 1
                FROM \(range), \(Self.routing), generate_series(1, 3) AS l, \(Self.tiers),
                     (VALUES ('first_response', 56), ('plan', 82), ('resolution', 90)) AS m(metric, center), generate_series(-7, 7) AS b;

                INSERT INTO analytics_escalations (grain, day, department, channel, category, level, tier, metric, step, count)
                SELECT 'd', d.day::date, c.department, ch.channel, c.category, l, tr.tier, e.metric, e.step, (random() * \(perCell * 4 * 0.1))::int8 + 1
                FROM \(range), \(Self.routing), \(Self.channels), generate_series(1, 3) AS l, \(Self.tiers),
                     (VALUES ('first_response', 1), ('first_response', 2), ('resolution', 1), ('resolution', 2), ('resolution', 3)) AS e(metric, step);

                INSERT INTO analytics_keywords (grain, day, department, category, keyword, count)
                SELECT 'd', d.day::date, c.department, c.category, c.category || '_kw' || k, (random() * \(perCell * 288 / 40))::int8 + 1
                FROM \(range), \(Self.routing), generate_series(1, 40) AS k;

                INSERT INTO analytics_surveys (grain, day, department, channel, category, level, tier, survey_id, answers, invalid, followups,
                    overall_high, nps_answers, promoters, detractors, total_sum, total_squares, too_fast, straight_lining, contradictory, repeated)
                SELECT 'd', day, department, channel, category, l, tier, 'service', n, n / 10, n, n * 7 / 10, n, n / 2, n / 5, n * 11.5, n * 140.0,
                       n / 30, n / 40, n / 50, n / 60
                FROM (SELECT d.day::date AS day, c.department, c.category, ch.channel, l, tr.tier, (random() * \(perCell * 4 * 0.2))::int8 + 1 AS n
                      FROM \(range), \(Self.routing), \(Self.channels), generate_series(1, 3) AS l, \(Self.tiers)) g;

                INSERT INTO analytics_survey_dimensions (grain, day, department, channel, category, level, tier, survey_id, dimension, n, sum, squares)
                SELECT 'd', s.day, s.department, s.channel, s.category, s.level, s.tier, s.survey_id, dim.name, s.answers, s.answers * dim.mean,
                       s.answers * (dim.mean * dim.mean + 0.8)
                FROM analytics_surveys s, (VALUES ('speed', 3.6), ('attitude', 4.1), ('result', 3.8)) AS dim(name, mean) WHERE s.grain = 'd';

                INSERT INTO analytics_examples (day, kind, key, slot, ticket_id)
                SELECT d.day::date, 'problem', c.category || '/' || c.category || '_' || s, slot, (random() * \(tickets))::int8
                FROM \(range), \(Self.routing), generate_series(1, 4) AS s, generate_series(0, 2) AS slot;

                INSERT INTO analytics_verdicts (ticket_id, state, day, channel, tier)
                SELECT 1000000000 + i, 'duplicate', '\(first)'::date + (i % \(days)), (ARRAY['hotline', 'chat', 'store', 'email'])[1 + i % 4],
                       (ARRAY['vip', 'regular', 'new'])[1 + i % 3]
                FROM generate_series(1, \(tickets * 3 / 100)) AS i;
                """)
        // Month grain: the sums of the day rows, as the worker writes them.
        for (table, keys, values) in [
            (
                "analytics_ticket_counts", "department, channel, category, subcategory, level, tier",
                TicketCounter.allCases.map(\.rawValue).joined(separator: ", ")
            ),
            ("analytics_durations", "department, category, level, tier, metric, bucket", "count"),
            ("analytics_escalations", "department, channel, category, level, tier, metric, step", "count"),
            ("analytics_keywords", "department, category, keyword", "count"),
            (
                "analytics_surveys", "department, channel, category, level, tier, survey_id",
                "answers, invalid, followups, overall_high, nps_answers, promoters, detractors, total_sum, total_squares, too_fast, straight_lining, contradictory, repeated"
            ),
            ("analytics_survey_dimensions", "department, channel, category, level, tier, survey_id, dimension", "n, sum, squares"),
        ] {
            let sums = values.split(separator: ",").map { "sum(\($0.trimmingCharacters(in: .whitespaces)))" }.joined(separator: ", ")
            try db.query(
                """
                INSERT INTO \(table) (grain, day, \(keys), \(values))
                SELECT 'm', date_trunc('month', day)::date, \(keys), \(sums) FROM \(table) WHERE grain = 'd' GROUP BY 2, \(keys)
                """)
        }
        try db.execute(script: TicketMargins.rebuildSQL)
        // Fold every verdict but the last thousand, which reports add as not folded yet.
        let last = "ticket_id > (SELECT max(ticket_id) - 1000 FROM analytics_verdicts)"
        try db.query("UPDATE analytics_verdicts SET counted = true WHERE \(last)")
        while try db.query("SELECT count(*)::int8 FROM analytics_verdicts WHERE NOT counted")[0].decode(Int64.self, at: 0) > 0 {
            try VerdictCounts.fold(in: db)
        }
        try db.query("UPDATE analytics_verdicts SET counted = false WHERE \(last)")
        // What autovacuum does to tables a live worker filled over months: statistics, hint
        // bits and the visibility map, without which the first reads after a bulk load pay
        // for setting them (and autovacuum, starting meanwhile, competes with the timings).
        try db.execute(script: "VACUUM (ANALYZE)")
        var counts: [(String, Int)] = []
        for table in [
            "analytics_ticket_counts", "analytics_durations", "analytics_escalations", "analytics_keywords", "analytics_surveys",
            "analytics_survey_dimensions", "analytics_verdicts", "analytics_ticket_margins", "analytics_verdict_counts",
        ] {
            counts.append((table, try db.query("SELECT count(*) FROM \(table)")[0].decode(Int.self, at: 0)))
        }
        let total = try db.query("SELECT sum(received)::int8 FROM analytics_ticket_counts WHERE grain = 'd'")[0].decode(Int64.self, at: 0)
        return (total, counts)
    }
}
