import FeedloopCore
import Foundation
import Postgres

/// The rollup changes of one batch of events, summed in memory and written with one upsert
/// per table (at day and month grain) in the consume transaction.
struct RollupChanges {
    var tickets: [TicketCell: TicketCounters] = [:]
    /// (cell without subcategory, metric, step) → count.
    var escalations: [[String]: Int64] = [:]
    /// (day, department, category, level, tier, metric, bucket) → count.
    var durations: [[String]: Int64] = [:]
    /// (day, department, category, keyword) → count.
    var keywords: [[String]: Int64] = [:]
    /// (day, kind, key, slot) → ticket id; the first one wins.
    var examples: [[String]: Int64] = [:]
    /// (day, department, channel, category, level, tier, survey) → sums.
    var surveys: [[String]: SurveyTotals] = [:]

    mutating func add(_ counter: TicketCounter, _ n: Int64 = 1, day: LocalDate, _ d: TicketDimensions) {
        tickets[TicketCell(day: day, d), default: TicketCounters()][counter] += n
    }

    mutating func addEscalation(day: LocalDate, _ d: TicketDimensions, metric: SLAMetric, step: Int) {
        escalations[[day.description, d.department, d.channel, d.category, String(d.level), d.tier, metric.rawValue, String(step)], default: 0] += 1
    }

    mutating func addDuration(day: LocalDate, _ d: TicketDimensions, metric: SLAMetric, seconds: Double) {
        let bucket = DurationHistogram.bucket(forSeconds: seconds)
        durations[[day.description, d.department, d.category, String(d.level), d.tier, metric.rawValue, String(bucket)], default: 0] += 1
    }

    mutating func addKeyword(day: LocalDate, _ d: TicketDimensions, keyword: String) {
        keywords[[day.description, d.department, d.category, keyword], default: 0] += 1
    }

    mutating func addExample(day: LocalDate, kind: String, key: String, ticketId: Int64) {
        let slot = [day.description, kind, key, String(ticketId % 3)]
        if examples[slot] == nil { examples[slot] = ticketId }
    }

    mutating func addSurvey(day: LocalDate, _ d: TicketDimensions, surveyId: String, _ t: SurveyTotals) {
        surveys[[day.description, d.department, d.channel, d.category, String(d.level), d.tier, surveyId], default: SurveyTotals()] += t
    }

    /// `key` with its leading day replaced by the bucket of `grain`, and `grain` in front.
    private static func grained(_ key: [String], _ grain: Character) -> [String] {
        let day = LocalDate(key[0])!
        return [String(grain), RollupGrain.bucket(day, grain: grain).description] + key.dropFirst()
    }

    /// Every row at day and month grain, and added into the overall row of its other key
    /// columns: `dimensions` (positions in `key`) set to '*', and the level at `level` to -1.
    /// Unfiltered reports read the overall rows only (docs/ANALYTICS.md "Rollups").
    private static func atBothGrains<V>(_ rows: [[String]: V], dimensions: ClosedRange<Int>, level: Int?, _ combine: (V, V) -> V) -> [[String]: V] {
        var out: [[String]: V] = [:]
        for (key, value) in rows {
            var overall = key
            for i in dimensions { overall[i] = i == level ? TicketMargins.allLevels : TicketMargins.all }
            for grain in RollupGrain.both {
                for k in [grained(key, grain), grained(overall, grain)] {
                    out[k] = out[k].map { combine($0, value) } ?? value
                }
            }
        }
        return out
    }

    func write(to db: PostgresConnection) throws {
        var ticketRows: [[String]: [String]] = [:]
        for (cell, counters) in tickets where !counters.isZero {
            for grain in RollupGrain.both {
                let key = cell.key(grain: grain)
                var sum = ticketRows[key].map { $0.map { Int64($0)! } } ?? Array(repeating: 0, count: counters.values.count)
                for i in sum.indices { sum[i] += counters.values[i] }
                ticketRows[key] = sum.map(String.init)
            }
        }
        let dims: [(String, String)] = [("grain", "\"char\""), ("day", "date")]
        let cellKeys = dims + [("department", "text"), ("channel", "text"), ("category", "text"), ("subcategory", "text"), ("level", "int2"), ("tier", "text")]
        let counterValues = TicketCounter.allCases.map { ($0.rawValue, "int8") }
        try RollupUpsert(table: "analytics_ticket_counts", keys: cellKeys, values: counterValues).run(ticketRows, in: db)
        try RollupUpsert(table: "analytics_ticket_margins", keys: cellKeys, values: counterValues).run(TicketMargins.rows(of: ticketRows), in: db)

        let counts = { (rows: [[String]: Int64], dimensions: ClosedRange<Int>, level: Int?) in
            Self.atBothGrains(rows, dimensions: dimensions, level: level, +).mapValues { [String($0)] }
        }
        try RollupUpsert(
            table: "analytics_escalations",
            keys: dims + [
                ("department", "text"), ("channel", "text"), ("category", "text"), ("level", "int2"), ("tier", "text"), ("metric", "text"), ("step", "int4"),
            ],
            values: [("count", "int8")]
        ).run(counts(escalations, 1...5, 4), in: db)
        try RollupUpsert(
            table: "analytics_durations",
            keys: dims + [("department", "text"), ("category", "text"), ("level", "int2"), ("tier", "text"), ("metric", "text"), ("bucket", "int2")],
            values: [("count", "int8")]
        ).run(counts(durations, 1...4, 3), in: db)
        try RollupUpsert(
            table: "analytics_keywords", keys: dims + [("department", "text"), ("category", "text"), ("keyword", "text")], values: [("count", "int8")]
        ).run(counts(keywords, 1...2, nil), in: db)

        var surveyRows: [[String]: [String]] = [:]
        var dimensionRows: [[String]: [String]] = [:]
        for (key, t) in Self.atBothGrains(
            surveys, dimensions: 1...5, level: 4,
            {
                var a = $0; a += $1; return a
            })
        {
            let flags = [SurveyFlagKind.tooFast, .straightLining, .contradictory, .repeat].map { String(t.flags[$0] ?? 0) }
            surveyRows[key] =
                [t.answers, t.invalid, t.followups, t.overallHigh, t.npsAnswers, t.promoters, t.detractors].map(String.init)
                + [String(t.totalSum), String(t.totalSquares)] + flags
            for (dimension, s) in t.dimensions {
                dimensionRows[key + [dimension]] = [String(s.n), String(s.sum), String(s.squares)]
            }
        }
        let surveyKeys = dims + [("department", "text"), ("channel", "text"), ("category", "text"), ("level", "int2"), ("tier", "text"), ("survey_id", "text")]
        try RollupUpsert(
            table: "analytics_surveys", keys: surveyKeys,
            values: [
                ("answers", "int8"), ("invalid", "int8"), ("followups", "int8"), ("overall_high", "int8"), ("nps_answers", "int8"), ("promoters", "int8"),
                ("detractors", "int8"), ("total_sum", "float8"), ("total_squares", "float8"), ("too_fast", "int8"), ("straight_lining", "int8"),
                ("contradictory", "int8"), ("repeated", "int8"),
            ]
        ).run(surveyRows, in: db)
        try RollupUpsert(
            table: "analytics_survey_dimensions", keys: surveyKeys + [("dimension", "text")],
            values: [("n", "int8"), ("sum", "float8"), ("squares", "float8")]
        ).run(dimensionRows, in: db)

        if !examples.isEmpty {
            let ordered = examples.keys.sorted { $0.lexicographicallyPrecedes($1) }
            try db.query(
                """
                INSERT INTO analytics_examples (day, kind, key, slot, ticket_id)
                SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int2[], $5::int8[])
                ON CONFLICT DO NOTHING
                """,
                [
                    .textArray(ordered.map { $0[0] }), .textArray(ordered.map { $0[1] }), .textArray(ordered.map { $0[2] }),
                    .textArray(ordered.map { $0[3] }), .intArray(ordered.map { examples[$0]! }),
                ])
        }
    }
}
