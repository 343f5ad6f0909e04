import FeedloopCore
import Foundation
import Postgres

/// Builds a ``Report`` from the rollups: the period's and the previous period's totals, the
/// example tickets of the top problems and keywords (masked), and the period's incidents.
public enum ReportBuilder {
    /// Example tickets shown per problem or keyword.
    public static let examplesPerEntry = 3

    public static func build(_ period: ReportPeriod, filter: ReportFilter, in db: PostgresConnection, now: Date = Date()) throws -> Report {
        let current = try RollupReader.totals(period, filter: filter, in: db)
        let previousPeriod = period.previous
        // The previous period ends the day before this one starts: its balance is this one's
        // less what changed during this one.
        let balance =
            previousPeriod.end.adding(days: 1) == period.start
            ? RollupReader.Balance(
                open: current.stillOpen - current.overall[.openDelta], overdue: current.overdue - current.overall[.overdueDelta])
            : nil
        let previous = try RollupReader.totals(previousPeriod, filter: filter, balanceAtEnd: balance, in: db)
        var report = ReportAssembler.assemble(period: period, filter: filter, current: current, previous: previous, generatedAt: now)
        let extras = try self.extras(for: report, in: db)
        report = ReportAssembler.assemble(period: period, filter: filter, current: current, previous: previous, extras: extras, generatedAt: now)
        return report
    }

    /// The period in `text`, in the rollups' time zone.
    public static func period(_ text: String, in db: PostgresConnection) throws -> ReportPeriod {
        try ReportPeriod.parse(text, timeZone: AnalyticsTimeZone.load(from: db))
    }

    /// Examples for the report's top problems and keywords, and its incidents.
    static func extras(for report: Report, in db: PostgresConnection) throws -> ReportAssembler.Extras {
        let period = report.period
        var wanted: [(kind: String, key: String)] = report.topProblems.map { ("problem", "\($0.category.rawValue)/\($0.subcategory ?? "")") }
        wanted += report.topKeywords.map { ("keyword", $0.keyword) }
        var ids: [String: [Int64]] = [:]
        if !wanted.isEmpty {
            let rows = try db.query(
                """
                SELECT w.kind, w.key, x.ticket_id FROM unnest($1::text[], $2::text[]) AS w(kind, key)
                CROSS JOIN LATERAL (
                    SELECT e.ticket_id FROM analytics_examples e
                    WHERE e.kind = w.kind AND e.key = w.key AND e.day BETWEEN $3::date AND $4::date
                    ORDER BY e.day DESC, e.slot LIMIT $5) x
                """,
                [
                    .textArray(wanted.map(\.kind)), .textArray(wanted.map(\.key)), .text(period.start.description), .text(period.end.description),
                    .int(Int64(examplesPerEntry)),
                ])
            for row in rows {
                ids["\(try row.decode(String.self, at: 0)):\(try row.decode(String.self, at: 1))", default: []].append(try row.decode(Int64.self, at: 2))
            }
        }
        var incidentRows: [(ReportIncident, Int64)] = []
        var p = SQLParameters()
        let start = p.add(.timestamp(period.startInstant))
        let end = p.add(.timestamp(period.endInstant))
        for row in try db.query(
            """
            SELECT id, category, subcategory, tickets::int8, customers::int8, first_received_at, last_received_at, opened_by_ticket_id FROM incidents
            WHERE last_received_at >= \(start) AND first_received_at < \(end)\(p.filter(report.filter, columns: ["category"], strict: true))
            ORDER BY tickets DESC, id LIMIT 10
            """, p.values)
        {
            guard let category = Category(rawValue: try row.decode(String.self, at: 1)) else { continue }
            let incident = ReportIncident(
                id: try row.decode(Int64.self, at: 0), category: category, subcategory: try row.decode(String?.self, at: 2),
                tickets: try row.decode(Int64.self, at: 3), customers: try row.decode(Int64.self, at: 4),
                firstReceivedAt: FeedloopJSON.formatTimestamp(try row.decode(Date.self, at: 5)),
                lastReceivedAt: FeedloopJSON.formatTimestamp(try row.decode(Date.self, at: 6)), examples: [])
            incidentRows.append((incident, try row.decode(Int64.self, at: 7)))
        }
        let allIds = Set(ids.values.flatMap { $0 } + incidentRows.map(\.1))
        var texts: [Int64: String] = [:]
        if !allIds.isEmpty {
            for row in try db.query("SELECT id, body FROM tickets WHERE id = ANY($1::int8[])", [.intArray(Array(allIds))]) {
                texts[try row.decode(Int64.self, at: 0)] = ExampleText.excerpt(try row.decode(String.self, at: 1))
            }
        }
        func examples(_ list: [Int64]) -> [ReportExample] {
            list.compactMap { id in texts[id].map { ReportExample(ticketId: id, excerpt: $0) } }
        }
        return ReportAssembler.Extras(
            examples: ids.mapValues(examples),
            incidents: incidentRows.map { incident, ticket in
                var i = incident
                i.examples = examples([ticket])
                return i
            })
    }
}
