import Foundation
import Postgres

/// How many items one pipeline stage completed in each second of a run, read afterwards from
/// the timestamps the stages write anyway (tickets, inbox, notifications), so that measuring
/// adds no queries while the run is under load.
struct StageSeries: Sendable {
    var name: String
    var total: Int
    /// Items completed in second i of the run (index 0 = the first second).
    var perSecond: [Int]

    /// Seconds from the run's start to the stage's last completion.
    var finishedAfter: Int { perSecond.lastIndex { $0 > 0 }.map { $0 + 1 } ?? 0 }

    /// Median and lowest per-second count over `window` (seconds of the run), and the mean rate
    /// over it: what the stage sustained once warmed up.
    func steady(_ window: Range<Int>) -> (median: Int, lowest: Int, mean: Double) {
        let counts = window.map { $0 < perSecond.count ? perSecond[$0] : 0 }.sorted()
        guard !counts.isEmpty else { return (0, 0, 0) }
        return (counts[counts.count / 2], counts[0], Double(counts.reduce(0, +)) / Double(counts.count))
    }

    /// The stages of an end-to-end run: taken in, opened by the classifier, and handled by the
    /// escalator, notifier and analytics (their inbox rows), and notifications sent.
    static func read(since start: Date, in db: PostgresConnection) throws -> [StageSeries] {
        let sources: [(String, String)] = [
            ("intake (received)", "SELECT created_at FROM tickets"),
            ("classifier (open)", "SELECT classified_at FROM tickets WHERE classified_at IS NOT NULL"),
            ("escalator (events)", "SELECT processed_at FROM inbox WHERE consumer = 'escalator'"),
            ("notifier (events)", "SELECT processed_at FROM inbox WHERE consumer = 'notifier'"),
            ("analytics (events)", "SELECT processed_at FROM inbox WHERE consumer = 'analytics'"),
            ("notifications sent", "SELECT sent_at FROM notifications WHERE sent_at IS NOT NULL"),
        ]
        return try sources.map { name, source in
            let rows = try db.query(
                """
                SELECT greatest(0, floor(extract(epoch FROM s.t - $1::timestamptz)))::int8 AS second, count(*)
                FROM (\(source)) AS s(t) GROUP BY 1 ORDER BY 1
                """,
                [.timestamp(start)]
            )
            var perSecond: [Int] = []
            var total = 0
            for row in rows {
                let second = Int(try row.decode(Int64.self, at: 0))
                let count = Int(try row.decode(Int64.self, at: 1))
                if perSecond.count <= second { perSecond += Array(repeating: 0, count: second + 1 - perSecond.count) }
                perSecond[second] = count
                total += count
            }
            return StageSeries(name: name, total: total, perSecond: perSecond)
        }
    }
}

/// Intake-to-`open` latency of the run's tickets, in milliseconds.
struct OpenLatency: Sendable {
    var p50: Double
    var p99: Double
    var max: Double

    /// Over the tickets taken in within `window` seconds of `start` (the steady part of the run).
    static func read(since start: Date, window: Range<Int>, in db: PostgresConnection) throws -> OpenLatency {
        let row = try db.query(
            """
            SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - created_at)), 0)::float8,
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - created_at)), 0)::float8,
                   coalesce(extract(epoch FROM max(classified_at - created_at)), 0)::float8
            FROM tickets
            WHERE classified_at IS NOT NULL
              AND created_at >= $1::timestamptz + make_interval(secs => $2) AND created_at < $1::timestamptz + make_interval(secs => $3)
            """,
            [.timestamp(start), .double(Double(window.lowerBound)), .double(Double(window.upperBound))]
        )[0]
        return OpenLatency(
            p50: try row.decode(Double.self, at: 0) * 1000, p99: try row.decode(Double.self, at: 1) * 1000, max: try row.decode(Double.self, at: 2) * 1000)
    }
}
