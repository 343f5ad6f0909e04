import FeedloopCore
import FeedloopTestSupport
import Foundation
import Testing

/// The whole cluster as separate processes on a real broker and database: feedback in over
/// HTTP, every ticket classified, clocked, acknowledged and counted, even when a classifier is
/// killed mid-run.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct PipelineTests {
    static let items = 1000

    /// Posts `count` items with 16 requests in flight; returns the ticket ids.
    static func feed(_ pipeline: Pipeline, count: Int, run: String) async throws -> Set<Int64> {
        try await withThrowingTaskGroup(of: Int64.self) { group in
            var next = 0
            var ids: Set<Int64> = []
            func submit(_ i: Int) {
                group.addTask {
                    let (status, body) = try await pipeline.post(port: pipeline.producerPort, path: "/v1/feedback", json: SampleFeedback.item(i, run: run))
                    guard status == 201 else { throw UnexpectedStatus(status: status, body: String(decoding: body, as: UTF8.self)) }
                    let json = try JSONSerialization.jsonObject(with: body) as! [String: Any]
                    return (json["ticket_id"] as! NSNumber).int64Value
                }
            }
            while next < min(16, count) { submit(next); next += 1 }
            while let id = try await group.next() {
                ids.insert(id)
                if next < count { submit(next); next += 1 }
            }
            return ids
        }
    }

    struct UnexpectedStatus: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "HTTP \(status): \(body)" }
    }

    /// Waits until every ticket is open, clocked, acknowledged and counted by analytics.
    static func waitUntilSettled(_ pipeline: Pipeline, count: Int, customerNotices: Int? = nil, timeout: Duration = .seconds(180)) async throws -> Bool {
        let db = pipeline.database
        return try await eventually(timeout: timeout, every: .milliseconds(500)) {
            try db.scalar(Int.self, "SELECT count(*) FROM tickets WHERE state = 'open'") == count
                && db.scalar(Int.self, "SELECT count(DISTINCT ticket_id) FROM sla_clocks") == count
                && db.scalar(Int.self, "SELECT count(*) FROM notifications WHERE event_type = 'ticket.classified'")
                    == count + (customerNotices ?? count)
                && db.scalar(Int.self, "SELECT coalesce(sum(received), 0)::int8 FROM analytics_ticket_counts WHERE grain = 'd'") == count
                && db.scalar(Int.self, "SELECT coalesce(sum(classified), 0)::int8 FROM analytics_ticket_counts WHERE grain = 'd'") == count
        }
    }

    /// Everything that must hold once the pipeline settled: nothing lost, nothing doubled.
    static func expectExactlyOnce(_ pipeline: Pipeline, ids: Set<Int64>, customerNotices: Bool = true) async throws {
        let db = pipeline.database
        let count = ids.count
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM tickets") == count)
        #expect(
            try db.scalar(
                Int.self, "SELECT count(*) FROM tickets WHERE state = 'open' AND category IS NOT NULL AND level IS NOT NULL AND department IS NOT NULL")
                == count)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM ticket_transitions WHERE to_state = 'open'") == count, "each ticket classified once")
        // First response and resolution for every ticket, plus plan for level 1.
        #expect(
            try db.scalar(
                Int.self,
                "SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM sla_clocks c WHERE c.ticket_id = t.id) <> CASE WHEN t.level = 1 THEN 3 ELSE 2 END")
                == 0
        )
        if customerNotices {
            #expect(
                try db.scalar(Int.self, "SELECT count(*) FROM notifications WHERE audience = 'customer' AND event_type = 'ticket.classified'")
                    == count, "one acknowledgement per ticket")
        }
        #expect(
            try db.scalar(Int.self, "SELECT count(*) FROM notifications WHERE audience = 'department' AND event_type = 'ticket.classified'")
                == count, "one new-ticket notice per ticket for its department")
        let outboxLeft = try await eventually(timeout: .seconds(15)) { try db.scalar(Int.self, "SELECT count(*) FROM outbox") == 0 }
        let leftover = try db.scalar(
            String.self, "SELECT coalesce(string_agg(type || ' ' || (relay_after - created_at)::text, ', '), '') FROM (SELECT * FROM outbox LIMIT 5) o")
        #expect(outboxLeft, "outbox not drained: \(leftover)")

        let (status, body) = try await pipeline.get(port: pipeline.analyticsPort, path: "/v1/reports/summary")
        #expect(status == 200)
        let report = try FeedloopJSON.decoder().decode(Report.self, from: body)
        #expect(report.volumes.received.value == Double(count))
        for breakdown in report.breakdowns {
            let sum = breakdown.rows.compactMap(\.received.value).reduce(0, +)
            #expect(sum == Double(count), "\(breakdown.dimension) sums to \(count)")
        }
    }

    /// A routing file sending new-ticket notices to the department's webhook only, and a staff
    /// directory whose every department's webhook is `url`; returns their paths.
    static func webhookRouting(to url: String, in directory: URL) throws -> (routing: String, staff: String) {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let routing = """
            locales: [zh-CN, en]
            default_locale: zh-CN
            time_zone: Asia/Shanghai
            templates: \(repository.appendingPathComponent("config/templates").path)
            survey: resolution_followup
            routes:
              ticket.classified:
                - audience: department
                  channels: [webhook]
            """
        let departments = ["customer_service", "logistics", "rd", "marketing", "planning"].map {
            "  \($0):\n    name: \($0)\n    head: lead\n    team_lead: lead\n    webhook: \(url)\n"
        }
        let staff = """
            director: lead
            fallback_department: customer_service
            departments:
            \(departments.joined())people:
              lead:
                name: Lead
                email: lead@feedloop.example

            """
        let routingFile = directory.appendingPathComponent("notifications.yaml")
        let staffFile = directory.appendingPathComponent("staff.yaml")
        try routing.write(to: routingFile, atomically: true, encoding: .utf8)
        try staff.write(to: staffFile, atomically: true, encoding: .utf8)
        return (routingFile.path, staffFile.path)
    }

    @Test func everyItemFlowsThroughEveryStageExactlyOnce() async throws {
        // Compressed SLA targets so that first-response clocks fall due during the test, with
        // two escalators competing for them.
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_SLA_TARGET_SCALE": "0.0002", "FEEDLOOP_SCAN_INTERVAL_MS": "200"])
        defer { pipeline.tearDown() }
        try pipeline.start("feedloop-producer")
        try pipeline.start("feedloop-classifier")
        try pipeline.start("feedloop-escalator", name: "escalator-1")
        try pipeline.start("feedloop-escalator", name: "escalator-2")
        try pipeline.start("feedloop-notifier")
        try pipeline.start("feedloop-analytics")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        try await pipeline.waitUntilHealthy(port: pipeline.analyticsPort)

        let ids = try await Self.feed(pipeline, count: Self.items, run: "e2e")
        #expect(ids.count == Self.items)
        // A channel resending an item gets the existing ticket back.
        let (status, body) = try await pipeline.post(port: pipeline.producerPort, path: "/v1/feedback", json: SampleFeedback.item(7, run: "e2e"))
        #expect(status == 200)
        let resent = try JSONSerialization.jsonObject(with: body) as! [String: Any]
        #expect(ids.contains((resent["ticket_id"] as! NSNumber).int64Value))

        // The same new item sent eight times at once (a retrying channel): one ticket, one 201.
        let answers = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let (status, body) = try await pipeline.post(
                        port: pipeline.producerPort, path: "/v1/feedback", json: SampleFeedback.item(Self.items, run: "e2e"))
                    let json = try JSONSerialization.jsonObject(with: body) as! [String: Any]
                    return (status, (json["ticket_id"] as! NSNumber).int64Value)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.filter { $0.0 == 201 }.count == 1)
        #expect(answers.filter { $0.0 == 200 }.count == 7)
        #expect(Set(answers.map(\.1)).count == 1)
        let allIds = ids.union(answers.map(\.1))

        let settled = try await Self.waitUntilSettled(pipeline, count: Self.items + 1)
        #expect(settled, "pipeline did not settle:\n\(pipeline.logsSummary())")
        try await Self.expectExactlyOnce(pipeline, ids: allIds)

        // Every first-response clock climbs the whole ladder, each step exactly once.
        let escalated = try await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM escalations WHERE metric = 'first_response'") == 3 * allIds.count
        }
        #expect(escalated, "escalations missing:\n\(pipeline.logsSummary())")
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE metric = 'first_response' AND escalation_step <> 3") == 0)
        // Each step's person is told (by email and SMS, the default route): every escalation
        // event has its notifications, and none has a second set.
        let staffNotified = try await eventually(timeout: .seconds(30), every: .milliseconds(500)) {
            try pipeline.database.scalar(
                Int.self, "SELECT count(DISTINCT split_part(dedupe_key, '/escalation/', 1)) FROM notifications WHERE audience = 'escalation'")
                == pipeline.database.scalar(Int.self, "SELECT count(*) FROM escalations")
        }
        #expect(staffNotified, "notifications for every escalation step")
        #expect(
            try pipeline.database.scalar(
                Int.self,
                """
                SELECT count(*) FROM (SELECT 1 FROM notifications WHERE audience = 'escalation'
                GROUP BY split_part(dedupe_key, '/escalation/', 1), channel HAVING count(*) > 1) d
                """) == 0, "no escalation notified twice over one channel")

        #expect(pipeline.stopAll().isEmpty, "every worker exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func aClassifierKilledMidRunLosesAndDoublesNothing() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        // New-ticket notices go out over a real webhook here, to a receiver in this process:
        // every department's webhook is the receiver, and ticket.classified is routed to the
        // department only.
        let webhook = try WebhookReceiver()
        defer { webhook.stop() }
        let config = try Self.webhookRouting(to: webhook.url, in: pipeline.logDirectory)
        try pipeline.start("feedloop-producer")
        try pipeline.start("feedloop-escalator")
        try pipeline.start(
            "feedloop-notifier",
            environment: [
                "FEEDLOOP_NOTIFICATIONS": config.routing, "FEEDLOOP_STAFF": config.staff,
                // One receiver stands for every department: no per-address rate limit.
                "FEEDLOOP_NOTIFY_RATE_PER_MINUTE": "0",
                // The receiver answers from this process's cooperative threads, which other
                // suites can hold for a while: a slow answer is not an outage.
                "FEEDLOOP_WEBHOOK_TIMEOUT_MS": "120000",
            ])
        try pipeline.start("feedloop-analytics")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        try await pipeline.waitUntilHealthy(port: pipeline.analyticsPort)

        // The backlog is queued before the classifiers start, so the victim holds a full
        // prefetch of unacknowledged deliveries when it dies.
        let ids = try await Self.feed(pipeline, count: Self.items, run: "kill")
        let victim = try pipeline.start("feedloop-classifier", name: "classifier-victim", environment: ["FEEDLOOP_BATCH_SIZE": "50"])
        try pipeline.start("feedloop-classifier", name: "classifier-survivor", environment: ["FEEDLOOP_BATCH_SIZE": "50"])
        let database = pipeline.database
        let openTickets: @Sendable () -> Int = {
            (try? database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE state = 'open'")) ?? 0
        }
        let kill = Tripwire(timeout: 60, when: { openTickets() >= 100 }) {
            victim.kill()
            return openTickets()
        }
        let openWhenKilled = await kill.result()
        #expect(openWhenKilled != nil, "the classifiers never got going:\n\(pipeline.logsSummary())")
        #expect((openWhenKilled ?? Self.items) < Self.items, "the classifier was killed mid-run")

        let settled = try await Self.waitUntilSettled(pipeline, count: Self.items, customerNotices: 0)
        #expect(settled, "pipeline did not settle after the kill:\n\(pipeline.logsSummary())")
        try await Self.expectExactlyOnce(pipeline, ids: ids, customerNotices: false)

        // Each new-ticket notice reached the receiver once, signed with its delivery id.
        let delivered = await eventually(timeout: .seconds(30)) {
            (try? pipeline.database.scalar(Int.self, "SELECT count(*) FROM notifications WHERE status = 'sent'")) == Self.items
        }
        #expect(delivered, "webhook deliveries not all sent:\n\(pipeline.logsSummary())")
        let posts = webhook.deliveries
        #expect(posts.count == Self.items)
        #expect(Set(posts.compactMap(\.deliveryId)).count == Self.items)
        #expect(Set(posts.compactMap { $0.body["ticket_id"] as? String }).count == Self.items)
        #expect(posts.allSatisfy { $0.event == "ticket.classified" })
        #expect(pipeline.stopAll().isEmpty, "every worker exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }
}
