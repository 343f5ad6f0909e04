import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// The escalator against the real broker and database: many replicas, a mass of clocks due in
/// the same second, a replica killed mid-run, and staff actions moving clocks.
@Suite("Escalator", .serialized)
struct EscalatorTests {
    static let tickets = 10_000

    /// A queue of the test's own on the events exchange, holding every warning and escalation.
    static func listen(_ pipeline: Pipeline) throws -> AMQPConnection {
        let connection = try AMQPConnection(url: pipeline.vhost.amqpURL(), heartbeat: 0, connectionName: "escalator-test", logger: TestServers.logger)
        try Topology.declareExchanges(on: connection)
        _ = try connection.declareQueue("test.sla-events")
        for key in [EventType.ticketEscalated, .ticketSLAWarning] {
            try connection.bindQueue("test.sla-events", exchange: Topology.eventsExchange, routingKey: key.rawValue)
        }
        return connection
    }

    /// Every message in the test queue: (type, message id, ticket id).
    static func drain(_ connection: AMQPConnection) throws -> [(type: String, id: String, ticket: Int64)] {
        try connection.setPrefetch(1000)
        _ = try connection.consume(queue: "test.sla-events")
        var out: [(String, String, Int64)] = []
        while let d = try connection.nextDelivery(timeout: .seconds(3)) {
            let json = try JSONSerialization.jsonObject(with: Data(d.body)) as? [String: Any]
            let data = json?["data"] as? [String: Any]
            let ticket = (data?["ticket_id"] as? NSNumber)?.int64Value ?? -1
            out.append((d.properties.type ?? "", d.properties.messageId ?? "", ticket))
            try connection.ack(d.deliveryTag)
        }
        return out
    }

    @Test("three escalators, 10,000 clocks due in the same second: each warned once and escalated once, despite a SIGKILL")
    func massEscalation() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_SCAN_INTERVAL_MS": "200"])
        defer { pipeline.tearDown() }
        let listener = try Self.listen(pipeline)
        defer { listener.close() }

        // 10,000 open level-1 tickets whose 2-hour first-response clocks, on the 24x7 calendar of
        // the built-in policies, are all due in the same second, 30 s from now (time enough
        // to warn all of them first even while other suites load the machine); 80 % of each is
        // already used, so each is warned first.
        let db = try pipeline.database.connect()
        defer { db.close() }
        let due = try db.query("SELECT date_trunc('second', now()) + interval '30 seconds'")[0].decode(Date.self, at: 0)
        try db.query(
            """
            INSERT INTO tickets (channel, external_id, body, state, level, department, received_at, classified_at)
            SELECT 'email', 'sla-' || i, 'late parcel', 'open', 1, 'logistics', $1::timestamptz - interval '2 hours', now()
            FROM generate_series(1, $2::int) AS i
            """,
            [.timestamp(due), .int(Int64(Self.tickets))])
        try db.query(
            """
            INSERT INTO sla_clocks (ticket_id, metric, cycle, started_at, target_seconds, due_at, state, department, calendar_id, level,
                used_seconds, running_since, changed_at, warn_at, next_fire_at, next_escalation_at, policy_hash)
            SELECT id, 'first_response', 1, received_at, 7200, $1, 'running', department, '24x7', 1, 0, received_at, received_at,
                received_at + interval '5760 seconds', received_at + interval '5760 seconds', $1, $2
            FROM tickets
            """,
            [.timestamp(due), .text(SLAConfiguration.builtIn.policyHash)])

        let escalators = try (1...3).map { try pipeline.start("feedloop-escalator", name: "escalator-\($0)") }
        // Kill one replica mid-run, a quarter second after the clocks fall due (the burst takes
        // seconds: every claim of 500 waits for its confirms).
        let victim = escalators[0]
        let database = pipeline.database
        let kill = Tripwire(at: due.addingTimeInterval(0.25)) {
            victim.kill()
            return (try? database.scalar(Int.self, "SELECT count(*) FROM escalations")) ?? -1
        }
        // Whether anything fired early is checked at the end from the recorded times: on a
        // busy machine the warnings can take longer than the 30 s until the clocks fall due.
        let warned = try await eventually(timeout: .seconds(90), every: .milliseconds(200)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE warned_at IS NOT NULL") == Self.tickets
        }
        #expect(warned, "warnings missing:\n\(pipeline.logsSummary())")

        let atKill = await kill.result() ?? -1
        #expect(atKill >= 0 && atKill < Self.tickets, "the replica was killed mid-run")

        let escalated = try await eventually(timeout: .seconds(40), every: .milliseconds(200)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM escalations WHERE step = 1") == Self.tickets
        }
        #expect(escalated, "escalations missing (\(atKill) when one escalator was killed):\n\(pipeline.logsSummary())")
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM escalations") == Self.tickets)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(DISTINCT ticket_id) FROM escalations") == Self.tickets)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE state = 'breached' AND escalation_step = 1") == Self.tickets)
        #expect(
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM escalations WHERE escalated_at < due_at") == 0,
            "no step fires before its due time")
        let lateness = try pipeline.database.scalar(Double.self, "SELECT extract(epoch FROM max(escalated_at - due_at))::float8 FROM escalations")
        print("escalator test: \(atKill) escalations when one replica was killed; latest step fired \(lateness) s after due")
        // The escalator's events, as a consumer of the events exchange sees them: one message id
        // per warning and per step (a replica killed between publish and clean-up may have its
        // message relayed again under the same id, which consumers drop as a duplicate).
        let published = try await eventually(timeout: .seconds(30), every: .milliseconds(500)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0
        }
        #expect(published, "outbox not drained")
        let messages = try Self.drain(listener)
        let escalations = messages.filter { $0.type == EventType.ticketEscalated.rawValue }
        let warnings = messages.filter { $0.type == EventType.ticketSLAWarning.rawValue }
        #expect(Set(escalations.map(\.id)).count == Self.tickets)
        #expect(Set(escalations.map(\.ticket)).count == Self.tickets)
        #expect(Set(warnings.map(\.id)).count == Self.tickets)
        #expect(Set(warnings.map(\.ticket)).count == Self.tickets)
        #expect(escalations.count - Set(escalations.map(\.id)).count <= 500, "redelivered copies at most one claim batch")
        // The ladder's second step (half the target after due) is an hour away: nothing more fired.
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE next_fire_at <= now()") == 0)
        #expect(pipeline.stopAll().isEmpty, "the surviving escalators exit 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    /// One clock row: state, whether it runs, due time, working seconds used.
    struct ClockRow {
        var state: String
        var running: Bool
        var due: Date?
        var used: Double
    }

    static func clock(_ db: PostgresConnection, _ ticket: Int64, _ metric: SLAMetric, cycle: Int = 1) throws -> ClockRow? {
        try db.query(
            "SELECT state, running_since IS NOT NULL, due_at, used_seconds FROM sla_clocks WHERE ticket_id = $1 AND metric = $2 AND cycle = $3",
            [.int(ticket), .text(metric.rawValue), .int(Int64(cycle))]
        ).first.map {
            ClockRow(
                state: try $0.decode(String.self, at: 0), running: try $0.decode(Bool.self, at: 1), due: try $0.decode(Date?.self, at: 2),
                used: try $0.decode(Double.self, at: 3))
        }
    }

    /// Applies a staff action as the producer does: the change and its event in one transaction;
    /// the escalator's outbox sweep publishes the event.
    static func act(_ db: PostgresConnection, _ ticket: Int64, _ action: TicketAction, note: String? = nil) throws {
        try db.transaction { tx in
            let result = try TicketActionStore.apply(TicketActionRequest(ticketId: ticket, action: action, actor: "agent-test", note: note), in: tx)
            _ = try Outbox.insert([result.message], relayAfter: .zero, in: tx)
        }
    }

    @Test("staff actions move the clocks: respond meets, wait pauses, reply resumes later, resolve meets, reopen starts cycle 2")
    func staffActions() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_SCAN_INTERVAL_MS": "200"])
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        let received = Date().addingTimeInterval(-600)
        let ticket = try db.query(
            """
            INSERT INTO tickets (channel, external_id, body, state, level, department, received_at, classified_at)
            VALUES ('email', 'actions-1', 'broken again', 'open', 1, 'R&D', $1, now()) RETURNING id
            """,
            [.timestamp(received)])[0].decode(Int64.self, at: 0)
        let classified = TicketClassified(
            ticketId: ticket, channel: .email, category: .product, subcategory: nil, sentiment: .negative, level: .urgent, levelRule: "test",
            department: "R&D", customerTier: nil, receivedAt: received, classifiedAt: Date())
        _ = try Outbox.insert([try .event(classified)], relayAfter: .zero, in: db)
        try pipeline.start("feedloop-escalator")

        func wait(_ what: String, _ condition: @escaping () throws -> Bool) async throws {
            let ok = try await eventually(timeout: .seconds(20), every: .milliseconds(100)) { try condition() }
            #expect(ok, "\(what):\n\(pipeline.logsSummary())")
        }
        try await wait("clocks started") { try Self.clock(db, ticket, .resolution)?.running == true }
        let resolutionDue = try #require(try Self.clock(db, ticket, .resolution)?.due)
        #expect(abs(resolutionDue.timeIntervalSince(received) - 48 * 3600) < 0.01)
        #expect(try Self.clock(db, ticket, .plan)?.running == true)

        try Self.act(db, ticket, .respond, note: "We are looking into it.")
        try await wait("first response met") { try Self.clock(db, ticket, .firstResponse)?.state == "met" }

        try Self.act(db, ticket, .waitCustomer)
        try await wait("clocks paused") { try Self.clock(db, ticket, .resolution)?.state == "paused" }
        let paused = try #require(try Self.clock(db, ticket, .resolution))
        #expect(paused.due == nil && !paused.running && paused.used >= 600)
        #expect(try Self.clock(db, ticket, .plan)?.state == "paused")
        try await Task.sleep(for: .seconds(2))

        try Self.act(db, ticket, .customerReply)
        try await wait("clocks resumed") { try Self.clock(db, ticket, .resolution)?.running == true }
        let resumedDue = try #require(try Self.clock(db, ticket, .resolution)?.due)
        #expect(resumedDue.timeIntervalSince(resolutionDue) >= 2, "the paused time moves the due time")

        try Self.act(db, ticket, .resolve, note: "Replaced the part.")
        try await wait("resolution met") { try Self.clock(db, ticket, .resolution)?.state == "met" }
        #expect(try Self.clock(db, ticket, .plan)?.state == "met")

        try Self.act(db, ticket, .reopen)
        try await wait("resolution cycle 2") { try Self.clock(db, ticket, .resolution, cycle: 2)?.running == true }
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE metric = 'first_response'") == 1)
        #expect(try Self.clock(db, ticket, .resolution)?.state == "met", "cycle 1 keeps its result")
        #expect(try Self.clock(db, ticket, .firstResponse)?.state == "met", "a reopen never restarts first response")
        #expect(pipeline.stopAll().isEmpty)
    }

    @Test("a changed policy file re-evaluates the due times of open clocks at start and records the change")
    func policyChange() async throws {
        let shipped = try String(contentsOfFile: TestServers.repositoryRoot.appendingPathComponent("config/sla.yaml").path, encoding: .utf8)
        let changed = shipped.replacingOccurrences(of: "first_response: 2h", with: "first_response: 3h")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("sla") + ".yaml")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let newHash = try SLAConfiguration.load(path: file.path).policyHash

        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        let received = Date().addingTimeInterval(-1800)
        let ticket = try db.query(
            """
            INSERT INTO tickets (channel, external_id, body, state, level, department, received_at, classified_at)
            VALUES ('email', 'policy-1', 'slow answer', 'open', 1, 'service', $1, now()) RETURNING id
            """,
            [.timestamp(received)])[0].decode(Int64.self, at: 0)
        // Open under the shipped policies (2 h), plus a met clock that must not move.
        try db.query(
            """
            INSERT INTO sla_clocks (ticket_id, metric, cycle, started_at, target_seconds, due_at, state, department, calendar_id, level,
                used_seconds, running_since, changed_at, warn_at, next_fire_at, next_escalation_at, policy_hash, stopped_at)
            VALUES ($1, 'first_response', 1, $2, 7200, $2::timestamptz + interval '2 hours', 'running', 'service', '24x7', 1, 0, $2, $2,
                    $2::timestamptz + interval '96 minutes', $2::timestamptz + interval '96 minutes', $2::timestamptz + interval '2 hours', $3, NULL),
                   ($1, 'plan', 1, $2, 86400, NULL, 'met', 'service', '24x7', 1, 600, NULL, $2, NULL, NULL, NULL, $3, now())
            """,
            [.int(ticket), .timestamp(received), .text(SLAConfiguration.builtIn.policyHash)])
        try db.query(
            "INSERT INTO sla_policy_changes (new_hash, clocks_reevaluated, policies, changed_by) VALUES ($1, 0, 'shipped', 'test')",
            [.text(SLAConfiguration.builtIn.policyHash)])

        try pipeline.start("feedloop-escalator", name: "escalator-a", environment: ["FEEDLOOP_SLA_CONFIG": file.path])
        try pipeline.start("feedloop-escalator", name: "escalator-b", environment: ["FEEDLOOP_SLA_CONFIG": file.path])
        let recorded = try await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_policy_changes") == 2
        }
        #expect(recorded, "change not recorded:\n\(pipeline.logsSummary())")
        try await Task.sleep(for: .seconds(1))
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_policy_changes") == 2, "recorded once for both replicas")
        let change = try db.query("SELECT old_hash, new_hash, clocks_reevaluated FROM sla_policy_changes ORDER BY id DESC LIMIT 1")[0]
        #expect(try change.decode(String.self, at: 0) == SLAConfiguration.builtIn.policyHash)
        #expect(try change.decode(String.self, at: 1) == newHash)
        #expect(try change.decode(Int.self, at: 2) == 1)
        let row = try db.query(
            "SELECT target_seconds, due_at, warn_at, policy_hash FROM sla_clocks WHERE ticket_id = $1 AND metric = 'first_response'", [.int(ticket)])[0]
        #expect(try row.decode(Double.self, at: 0) == 10_800)
        #expect(abs(try row.decode(Date.self, at: 1).timeIntervalSince(received) - 10_800) < 0.01)
        #expect(abs(try row.decode(Date.self, at: 2).timeIntervalSince(received) - 8_640) < 0.01)
        #expect(try row.decode(String.self, at: 3) == newHash)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM sla_clocks WHERE metric = 'plan' AND state = 'met' AND due_at IS NULL") == 1)
        #expect(pipeline.stopAll().isEmpty)
    }
}

/// When the dispatch timer killed the replica, and how many steps had been escalated then.
