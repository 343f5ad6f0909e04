import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// Events in → rollups equal to a recomputation from the raw tables, in any order, and a
/// redelivery changes nothing. The raw rows are written directly (tickets, actions through
/// TicketActionStore, escalations, warnings, survey answers) and the matching events are
/// published to a running `feedloop-analytics`.
@Suite(.serialized) struct AnalyticsRollupTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// The raw rows and the events that describe them.
    struct Fixture {
        var messages: [OutgoingMessage] = []
        var received = 0
        var duplicates = 0
        var resolved = 0
    }

    static func seed(_ db: PostgresConnection, now: Date) throws -> Fixture {
        var f = Fixture()
        let channels: [Channel] = [.hotline, .chat, .email, .store]
        let categories: [(Category, String, String)] = [
            (.product, "defect", "rd"), (.service, "slow_response", "customer_service"), (.logistics, "late_delivery", "logistics"),
        ]
        // An hour after yesterday's local midnight, a UTC day earlier: the verdicts are written
        // before the worker records the report zone, and must count on the local day.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let duplicateMarkedAt = calendar.startOfDay(for: now).addingTimeInterval(-86400 + 3600)
        var ids: [Int64] = []
        for i in 0..<40 {
            // Every 70 minutes back from now: about two days, across local midnights.
            let receivedAt = now.addingTimeInterval(-Double(i + 1) * 4200)
            let channel = channels[i % channels.count]
            let tier: CustomerTier? = i % 5 == 0 ? .vip : (i % 7 == 0 ? nil : .regular)
            let id = try db.query(
                """
                INSERT INTO tickets (channel, external_id, customer_tier, body, received_at)
                VALUES ($1, $2, $3, $4, $5) RETURNING id
                """,
                [
                    .text(channel.rawValue), .text("analytics-\(i)"), tier.map { .text($0.rawValue) } ?? .null,
                    .text("Order \(i) broken, call me on 13812345678 or mail li.lei@example.com"), .timestamp(receivedAt),
                ])[0].decode(Int64.self, at: 0)
            ids.append(id)
            f.received += 1
            f.messages.append(
                try .event(
                    FeedbackReceived(ticketId: id, channel: channel, externalId: "analytics-\(i)", text: "…", customerTier: tier, receivedAt: receivedAt),
                    at: receivedAt))
            if i >= 37 { continue }  // three stay received
            if i >= 34 {
                try db.query("UPDATE tickets SET state = 'duplicate', state_changed_at = $2 WHERE id = $1", [.int(id), .timestamp(duplicateMarkedAt)])
                f.duplicates += 1
                continue
            }
            let (category, subcategory, department) = categories[i % categories.count]
            let level: Level = i % 4 == 0 ? .urgent : (i % 4 == 1 ? .important : .general)
            let classifiedAt = receivedAt.addingTimeInterval(5)
            try db.query(
                """
                UPDATE tickets SET state = 'open', category = $2, subcategory = $3, department = $4, level = $5, sentiment = 'negative',
                    level_rule = 'test', keywords = $6, classified_at = $7, state_changed_at = $7 WHERE id = $1
                """,
                [
                    .int(id), .text(category.rawValue), .text(subcategory), .text(department), .int(Int64(level.rawValue)),
                    .textArray(i % 2 == 0 ? ["broken", "refund", "broken"] : ["late"]), .timestamp(classifiedAt),
                ])
            f.messages.append(
                try .event(
                    TicketClassified(
                        ticketId: id, channel: channel, category: category, subcategory: subcategory, sentiment: .negative, level: level, levelRule: "test",
                        department: department, customerTier: tier, receivedAt: receivedAt, classifiedAt: classifiedAt), at: classifiedAt))
        }
        // Staff actions through the one store, in the order a ticket's life allows.
        func act(_ id: Int64, _ actions: [TicketAction]) throws {
            for action in actions {
                let note = action.requiresNote ? "note" : nil
                let result = try db.transaction { tx in
                    try TicketActionStore.apply(
                        TicketActionRequest(ticketId: id, action: action, actor: "tests", note: note, assignee: action == .assign ? "agent-7" : nil), in: tx)
                }
                f.messages.append(result.message)
                if action == .resolve { f.resolved += 1 }
            }
        }
        for (i, id) in ids.prefix(34).enumerated() {
            switch i % 6 {
            case 0: try act(id, [.respond, .respond, .plan, .resolve])
            case 1: try act(id, [.respond, .resolve, .reopen, .respond, .resolve, .close])
            case 2: try act(id, [.respond, .waitCustomer, .customerReply, .resolve, .close])
            case 3: try act(id, [.assign])
            case 4: try act(id, [.respond])
            default: break
            }
        }
        // Escalations: first responses breached before (counted) and after (not) the reply,
        // a second ladder step, and a resolution clock that breached and is still running.
        let actedAt = try db.query("SELECT min(at) FROM ticket_actions")[0].decode(Date.self, at: 0)
        func escalate(_ id: Int64, _ metric: SLAMetric, step: Int, cycle: Int = 1, at: Date) throws {
            try db.query(
                """
                INSERT INTO escalations (ticket_id, metric, cycle, step, notify, due_at, escalated_at) VALUES ($1, $2, $3, $4, 'lead', $5, $5)
                """,
                [.int(id), .text(metric.rawValue), .int(Int64(cycle)), .int(Int64(step)), .timestamp(at)])
            f.messages.append(
                try .event(
                    TicketEscalated(ticketId: id, metric: metric, step: step, notify: "lead", department: nil, dueAt: at, escalatedAt: at, cycle: cycle),
                    at: at))
        }
        try escalate(ids[0], .firstResponse, step: 1, at: actedAt.addingTimeInterval(-60))
        try escalate(ids[0], .firstResponse, step: 2, at: actedAt.addingTimeInterval(-30))
        try escalate(ids[6], .firstResponse, step: 1, at: now.addingTimeInterval(3600))
        try escalate(ids[4], .resolution, step: 1, at: now.addingTimeInterval(-120))
        try escalate(ids[1], .resolution, step: 1, cycle: 2, at: actedAt.addingTimeInterval(-1))
        // Warnings, as the escalator records them on the clock.
        for (n, id) in [ids[3], ids[9], ids[10]].enumerated() {
            let metric: SLAMetric = n == 2 ? .resolution : .firstResponse
            let at = now.addingTimeInterval(-Double(n + 1) * 600)
            try db.query(
                """
                INSERT INTO sla_clocks (ticket_id, metric, started_at, target_seconds, due_at, warned_at) VALUES ($1, $2, $3, 3600, $3, $3)
                """, [.int(id), .text(metric.rawValue), .timestamp(at)])
            f.messages.append(
                try .event(
                    TicketSLAWarning(ticketId: id, metric: metric, cycle: 1, share: 0.8, dueAt: at, department: nil, assignee: nil, warnedAt: at), at: at))
        }
        // Survey answers: valid ones with NPS, flagged ones, one without a ticket.
        let answers: [(Int64?, [Int], Int, Int?, [SurveyFlagKind])] = [
            (ids[0], [5, 4, 5], 5, 10, []), (ids[1], [3, 3, 4], 4, 8, []), (ids[2], [2, 3, 2], 2, 3, []), (nil, [4, 4, 3], 4, 9, []),
            (ids[6], [5, 5, 5], 5, 10, [.straightLining]), (ids[7], [1, 5, 1], 3, nil, [.tooFast, .contradictory]),
        ]
        for (n, (ticket, scores, overall, nps, flags)) in answers.enumerated() {
            let submittedAt = now.addingTimeInterval(-Double(n) * 900)
            let dimensions = ["speed", "attitude", "result"]
            let json = "{" + zip(dimensions, scores).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
            try db.query(
                """
                INSERT INTO survey_responses (survey_id, response_id, ticket_id, respondent, scores, overall, nps, started_at, submitted_at,
                    duration_ms, flags, valid)
                VALUES ('service', $1, $2, 'r', $3::jsonb, $4, $5, $6, $6, 60000, $7, $8)
                """,
                [
                    .text("resp-\(n)"), ticket.map { .int($0) } ?? .null, .jsonb(json), .int(Int64(overall)), nps.map { .int(Int64($0)) } ?? .null,
                    .timestamp(submittedAt), .textArray(flags.map(\.rawValue)), .bool(flags.isEmpty),
                ])
            f.messages.append(
                try .event(
                    SurveyAnswered(
                        ticketId: ticket ?? 0, surveyId: "service", responseId: "resp-\(n)", overall: overall, nps: nps,
                        scores: zip(dimensions, scores).map { DimensionScore(dimension: $0, score: $1) }, valid: flags.isEmpty,
                        flags: flags.map { SurveyFlag(flag: $0, reason: "test") }, submittedAt: submittedAt), at: submittedAt))
        }
        return f
    }

    static func publish(_ messages: [OutgoingMessage], to pipeline: Pipeline) throws {
        let publisher = EventPublisher(url: try pipeline.vhost.amqpURL(), heartbeat: 0, name: "analytics-tests", logger: TestServers.logger)
        defer { publisher.close() }
        try publisher.publish(messages)
    }

    /// Waits until the analytics inbox holds `count` ids and its queue is empty.
    static func waitUntilCounted(_ pipeline: Pipeline, count: Int) async throws -> Bool {
        try await eventually(timeout: .seconds(40), every: .milliseconds(200)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM inbox WHERE consumer = 'analytics'") == count
                && pipeline.readyMessages(in: "feedloop.analytics") == 0
        }
    }

    @Test func rollupsEqualTheRecomputationAndRedeliveryChangesNothing() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_REPORT_TIME_ZONE": Self.zone.identifier])
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        let now = Date()
        let fixture = try Self.seed(db, now: now)
        try pipeline.start("feedloop-analytics")
        try await pipeline.waitUntilHealthy(port: pipeline.analyticsPort)
        let declared = await eventually(timeout: .seconds(20)) { (try? pipeline.readyMessages(in: "feedloop.analytics")) != nil }
        #expect(declared, "the analytics queue was declared")

        // Any order: stops before breaches, classifications before receipts.
        var shuffled = fixture.messages
        var generator = SystemRandomNumberGenerator()
        shuffled.shuffle(using: &generator)
        try Self.publish(shuffled, to: pipeline)
        let counted = try await Self.waitUntilCounted(pipeline, count: fixture.messages.count)
        #expect(counted, "every event counted\n\(pipeline.logsSummary())")

        let today = LocalDate(now, in: Self.zone)
        let periods = [
            try ReportPeriod.parse("\(today.adding(days: -3))..\(today)", timeZone: Self.zone),
            try ReportPeriod.parse(today.description, timeZone: Self.zone),
            try ReportPeriod.parse(today.adding(days: -1).description, timeZone: Self.zone),
            try ReportPeriod.parse(ISOWeek(containing: today).description, timeZone: Self.zone),
            try ReportPeriod.parse(String(today.description.prefix(7)), timeZone: Self.zone),
            // Long enough for a month series summed with the breakdowns, ending on the day of the
            // latest data: the month so far comes from its month row.
            try ReportPeriod.parse("\(today.adding(days: -120))..\(today)", timeZone: Self.zone),
        ]
        let filters = [
            ReportFilter(), ReportFilter(department: "rd"), ReportFilter(channel: .hotline), ReportFilter(level: .urgent), ReportFilter(tier: .vip),
            ReportFilter(category: .service, tier: .regular),
        ]
        for period in periods {
            for filter in filters {
                let differences = try ReportVerifier.differences(period, filter: filter, in: db)
                #expect(differences.isEmpty, "\(period.label) \(filter): \(differences.joined(separator: "\n"))")
            }
        }

        // Figures known from the fixture, not only agreement with the recomputation.
        let period = periods[0]
        let report = try ReportBuilder.build(period, filter: ReportFilter(), in: db)
        #expect(report.volumes.received.value == Double(fixture.received))
        #expect(report.volumes.duplicates.value == Double(fixture.duplicates))
        #expect(report.volumes.resolved.value == Double(fixture.resolved))
        #expect(report.volumes.classified.value == 34)
        #expect(report.volumes.reopened.value == 6)
        // 34 classified (open from then on) − (24 resolutions − 6 reopens); the 3 duplicates
        // and the 3 tickets still `received` are not open.
        #expect(report.volumes.resolved.value == 24)
        #expect(report.volumes.stillOpen.value == 16)
        // The resolution clock of ids[4] breached and is still running.
        #expect(report.volumes.overdue.value == 1)
        let firstResponse = report.slaCompliance.first { $0.metric == .firstResponse && $0.level == nil }!
        #expect(firstResponse.breached.value == 1)
        #expect(firstResponse.met.value == 22)
        #expect(report.escalationSteps.first { $0.metric == .firstResponse && $0.step == 2 }?.count.value == 1)
        #expect(report.satisfaction.answers.value == 4 && report.satisfaction.invalid.value == 2)
        #expect(report.satisfaction.invalidByReason.first { $0.flag == .tooFast }?.count.value == 1)
        // Overall 5, 4, 2, 4 → 3 of 4; NPS 10, 8, 3, 9 → (2 − 1) / 4.
        #expect(report.satisfaction.csat.value == 0.75)
        #expect(report.satisfaction.nps.value == 25)
        #expect(report.topKeywords.first?.keyword == "broken")
        let example = try #require(report.topProblems.first?.examples.first)
        #expect(!example.excerpt.contains("13812345678") && example.excerpt.contains("138****5678"))
        #expect(!example.excerpt.contains("li.lei@") && example.excerpt.contains("l*****@example.com"))

        // Redelivery: every event again, same ids. Nothing changes.
        let before = try RollupReader.totals(period, filter: ReportFilter(), in: db)
        try Self.publish(fixture.messages, to: pipeline)
        let drained = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            (try? pipeline.readyMessages(in: "feedloop.analytics")) == 0
        }
        #expect(drained)
        try await Task.sleep(for: .seconds(1))
        #expect(try RollupReader.totals(period, filter: ReportFilter(), in: db) == before)
        #expect(try ReportVerifier.differences(period, filter: ReportFilter(), in: db).isEmpty)

        // Verify notices a rollup that is off by one: a margin (what unfiltered reports read)
        // and a cell (what filtered ones read).
        try db.query(
            """
            UPDATE analytics_ticket_margins SET resolved = resolved + 1
            WHERE grain = 'd' AND resolved > 0 AND department = '*' AND channel = '*' AND category = '*' AND subcategory = '*' AND level = -1
              AND tier = '*' AND day = (SELECT min(day) FROM analytics_ticket_margins WHERE grain = 'd' AND resolved > 0)
            """)
        let differences = try ReportVerifier.differences(period, filter: ReportFilter(), in: db)
        #expect(differences.contains { $0.hasPrefix("overall.resolved: \(fixture.resolved + 1) ≠ \(fixture.resolved)") }, "\(differences)")
        let cell = try db.query(
            "UPDATE analytics_ticket_counts SET resolved = resolved + 1 WHERE ctid = (SELECT ctid FROM analytics_ticket_counts WHERE grain = 'd' AND resolved > 0 LIMIT 1) RETURNING department"
        )[0].decode(String.self, at: 0)
        let filtered = try ReportVerifier.differences(period, filter: ReportFilter(department: cell), in: db)
        #expect(filtered.contains { $0.hasPrefix("overall.resolved:") }, "\(filtered)")
    }

    @Test func theReportAPINeedsAStaffKeyAndNamesBadParameters() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        try pipeline.start("feedloop-analytics")
        try await pipeline.waitUntilHealthy(port: pipeline.analyticsPort)

        let (status, body) = try await pipeline.get(port: pipeline.analyticsPort, path: "/v1/reports/summary?period=2026-W47&channel=hotline")
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        let report = try FeedloopJSON.decoder().decode(Report.self, from: body)
        #expect(report.period.label == "2026-W47" && report.previousPeriod.label == "2026-W46")
        #expect(report.filter.channel == .hotline && report.series.count == 7)

        let csv = try await pipeline.get(port: pipeline.analyticsPort, path: "/v1/reports/summary.csv?period=2026-11")
        #expect(csv.status == 200 && !csv.body.isEmpty)

        let anonymous = try await pipeline.send("GET", port: pipeline.analyticsPort, path: "/v1/reports/summary", headers: [:])
        #expect(anonymous.status == 401)
        let intake = try Pipeline.createKey(in: pipeline.database, name: "intake", role: .intake)
        let forbidden = try await pipeline.send(
            "GET", port: pipeline.analyticsPort, path: "/v1/reports/summary", headers: ["Authorization": "Bearer \(intake)"])
        #expect(forbidden.status == 403)

        for (query, field) in [("period=2026-W54", "period"), ("period=2026-W47&level=4", "level"), ("from=2026-11-30&to=2026-11-01", "from")] {
            let (status, body) = try await pipeline.get(port: pipeline.analyticsPort, path: "/v1/reports/summary?\(query)")
            #expect(status == 400)
            let error = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let fields = (error?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == [field], "\(query): \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func examplesMaskContactDetails() {
        #expect(ExampleText.excerpt("call 13812345678 now") == "call 138****5678 now")
        #expect(ExampleText.excerpt("phone: +86 138-1234-5678.") == "phone: +861******5678.")
        #expect(ExampleText.excerpt("mail (zhang@example.com), thanks") == "mail (z****@example.com), thanks")
        #expect(ExampleText.excerpt("order 12345 is late") == "order 12345 is late")
        let long = String(repeating: "很慢 ", count: 60)
        #expect(ExampleText.excerpt(long).count == ExampleText.maximumLength)
    }
}
