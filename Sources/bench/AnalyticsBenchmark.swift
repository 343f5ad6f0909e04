import AMQP
import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// Report latency over the rollups of millions of tickets, and the rate at which the rollups
/// absorb events.
struct AnalyticsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Report latency over the rollups of --tickets tickets, and rollup updates per second.",
        discussion: """
            Bulk-loads the rollup rows that --tickets tickets received over --days days would leave (every department, channel, sub-category, level and tier every day; durations, escalations per step, keywords, survey sums and per-ticket duplicate verdicts) with INSERT … SELECT generate_series, at day and month grain, into FEEDLOOP_DATABASE_URL. Then builds each kind of report (day, week, month, quarter, year; with and without filters) --runs times with the same code as GET /v1/reports/summary and prints the median and the slowest.

            Then times the rollup update itself: --events events (received, classified, first reply, resolution of --events/4 tickets inserted for it) applied in batches of 200, each batch in one transaction, as the analytics worker does; compare with the pipeline's event rate (feedloop-bench pipeline).

            The database must be migrated and its analytics tables empty; use a scratch database (the benchmark leaves its rows).

            Example: FEEDLOOP_DATABASE_URL=postgres://…/scratch feedloop-bench analytics --tickets 10000000
            """
    )

    @Option(help: "Tickets the loaded rollups stand for.") var tickets = 10_000_000
    @Option(help: "Days they were received over, ending today.") var days = 365
    @Option(help: "Timed runs per report kind; the median is reported.") var runs = 7
    @Option(help: "Events for the update-rate measurement (0 to skip).") var events = 40_000

    func run() throws {
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let existing = try db.query("SELECT count(*) FROM analytics_ticket_counts")[0].decode(Int.self, at: 0)
        guard existing == 0 else { throw ValidationError("analytics_ticket_counts already holds \(existing) rows; benchmark an empty scratch database") }
        let zone = try AnalyticsTimeZone.load(from: db)
        let today = LocalDate(Date(), in: zone)
        let first = today.adding(days: -(days - 1))

        let loadStart = ContinuousClock.now
        let rows = try AnalyticsBenchmarkData(tickets: tickets, first: first, last: today).load(into: db)
        print(
            "loaded rollups of \(rows.tickets) tickets over \(days) days in \(String(format: "%.1f", (ContinuousClock.now - loadStart).seconds)) s: "
                + rows.counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))

        let week = ISOWeek(containing: today).description
        let month = String(today.description.prefix(7))
        let kinds: [(String, String, ReportFilter)] = [
            ("day", today.description, ReportFilter()),
            ("ISO week", week, ReportFilter()),
            ("month", month, ReportFilter()),
            ("90 days", "\(today.adding(days: -89))..\(today)", ReportFilter()),
            ("365 days", "\(first)..\(today)", ReportFilter()),
            ("week, department", week, ReportFilter(department: "customer_service")),
            ("month, channel + level", month, ReportFilter(channel: .hotline, level: .urgent)),
            ("365 days, tier", "\(first)..\(today)", ReportFilter(tier: .vip)),
        ]
        print("report (previous period included)        median      slowest   received")
        for (name, text, filter) in kinds {
            let period = try ReportPeriod.parse(text, timeZone: zone)
            var times: [Double] = []
            var report: Report?
            for _ in 0..<runs {
                let start = ContinuousClock.now
                report = try ReportBuilder.build(period, filter: filter, in: db)
                times.append((ContinuousClock.now - start).seconds * 1000)
            }
            let sorted = times.sorted()
            print(
                name.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: "%8.1f ms %9.1f ms %10.0f", sorted[sorted.count / 2], sorted.last!, report?.volumes.received.value ?? 0))
        }
        if events > 0 { try measureUpdates(db: db, zone: zone) }
    }

    /// Applies `events` events to the rollups in worker-sized batches and prints events/s.
    func measureUpdates(db: PostgresConnection, zone: TimeZone) throws {
        let count = max(1, events / 4)
        let now = Date()
        let ids = try db.query(
            """
            INSERT INTO tickets (channel, external_id, customer_tier, body, state, category, subcategory, department, level, keywords,
                received_at, classified_at)
            SELECT (ARRAY['hotline','chat','store','email'])[1 + i % 4], 'bench-analytics-' || i, (ARRAY['vip','regular','new'])[1 + i % 3],
                   'benchmark ticket', 'resolved', 'service', 'slow_response', 'customer_service', 1 + i % 3, ARRAY['slow', 'refund'],
                   $1::timestamptz - (i || ' seconds')::interval, $1::timestamptz
            FROM generate_series(1, $2) AS i RETURNING id
            """, [.timestamp(now), .int(Int64(count))]
        ).map { try $0.decode(Int64.self, at: 0) }
        let actions = try db.query(
            """
            INSERT INTO ticket_actions (ticket_id, action, from_state, to_state, actor, at)
            SELECT t, a, 'open', 'acknowledged', 'bench', $2::timestamptz + (CASE a WHEN 'respond' THEN 600 ELSE 7200 END || ' seconds')::interval
            FROM unnest($1::int8[]) AS t, unnest(ARRAY['respond', 'resolve']) AS a
            RETURNING id, ticket_id, action, at
            """, [.intArray(ids), .timestamp(now)])
        var messages: [OutgoingMessage] = []
        for id in ids {
            messages.append(
                try .event(FeedbackReceived(ticketId: id, channel: .hotline, externalId: nil, text: "", customerTier: nil, receivedAt: now), at: now))
            messages.append(
                try .event(
                    TicketClassified(
                        ticketId: id, channel: .hotline, category: .service, subcategory: "slow_response", sentiment: .negative, level: .general,
                        levelRule: "bench", department: "customer_service", customerTier: nil, receivedAt: now, classifiedAt: now), at: now))
        }
        for row in actions {
            let action: TicketAction = try row.decode(String.self, at: 2) == "respond" ? .respond : .resolve
            let at = try row.decode(Date.self, at: 3)
            messages.append(
                try .event(
                    TicketActed(
                        ticketId: try row.decode(Int64.self, at: 1), action: action, actionId: try row.decode(Int64.self, at: 0), fromState: .open,
                        toState: action == .respond ? .acknowledged : .resolved, actor: "bench", note: nil, assignee: nil, department: nil, level: nil,
                        actedAt: at), at: at))
        }
        messages.shuffle()
        let inbound = try messages.enumerated().map { n, m in
            InboundMessage(
                delivery: AMQPDelivery(
                    deliveryTag: UInt64(n + 1), exchange: m.exchange, routingKey: m.routingKey, redelivered: false,
                    properties: AMQPMessageProperties(messageId: m.messageId, type: m.type), body: m.body),
                header: try FeedloopJSON.decoder().decode(EnvelopeHeader.self, from: Data(m.body)))
        }
        let updater = RollupUpdater(timeZone: zone)
        let start = ContinuousClock.now
        for batch in stride(from: 0, to: inbound.count, by: 200).map({ Array(inbound[$0..<min($0 + 200, inbound.count)]) }) {
            try db.transaction { tx in try updater.apply(batch, in: tx) }
        }
        let seconds = (ContinuousClock.now - start).seconds
        print(
            "rollup updates: \(inbound.count) events (received, classified, first reply, resolution of \(count) tickets) in \(String(format: "%.2f", seconds)) s = \(Int(Double(inbound.count) / seconds)) events/s in batches of 200"
        )
    }
}
