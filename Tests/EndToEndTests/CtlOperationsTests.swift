import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// `feedloopctl` operations against the real servers: dead letters listed, shown, replayed and
/// purged without losing any; a ticket's timeline in order; status JSON; requeue run twice.
@Suite(.enabled(if: TestServers.shouldRun))
struct CtlOperationsTests {
    /// Runs feedloopctl with standard input from /dev/null (never a terminal).
    static func ctl(_ pipeline: Pipeline, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = WorkerProcess.binDirectory.appendingPathComponent("feedloopctl")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "FEEDLOOP_DATABASE_URL": pipeline.database.url, "FEEDLOOP_AMQP_URL": pipeline.vhost.url,
            // The workers' setting in Pipeline: queues requeue declares must match what they declare.
            "FEEDLOOP_RETRY_DELAY_MS": "500",
        ]) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr concurrently so a chatty command cannot block on a full pipe.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { Thread.sleep(forTimeInterval: 0.01) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
    }

    /// Whether `queue` holds `count` ready messages within a few seconds: a message a command
    /// read and gave back returns to its quorum queue asynchronously, after the command exited.
    static func ready(_ pipeline: Pipeline, _ queue: String, _ count: Int) async -> Bool {
        await eventually(timeout: .seconds(20)) { (try? pipeline.readyMessages(in: queue)) == count }
    }

    static func json(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func broker(_ pipeline: Pipeline) throws -> AMQPConnection {
        try AMQPConnection(url: pipeline.vhost.amqpURL(), heartbeat: 0, connectionName: "feedloop-tests", logger: TestServers.logger)
    }

    /// A dead letter as BatchConsumer writes it, published straight into the role's dead queue.
    static func deadLetter(
        _ broker: AMQPConnection, role: WorkerRole, messageId: String, type: String, ticket: Int64, reason: String, failedMinutesAgo: Double
    ) throws {
        let body = """
            {"schema_version":1,"message_id":"\(messageId)","type":"\(type)","ticket_id":\(ticket),"occurred_at":"2026-11-01T08:00:00Z",\
            "data":{"ticket_id":\(ticket),"channel":"chat","text":"call me on 13812341234 or zhang@example.com","customer":{"name":"张三","phone":"13812341234"}}}
            """
        let failedAt = Date().addingTimeInterval(-failedMinutesAgo * 60)
        try broker.publish(
            exchange: "", routingKey: role.deadQueue, body: Array(body.utf8),
            properties: AMQPMessageProperties(
                contentType: "application/json", messageId: messageId, type: type, timestamp: failedAt, correlationId: String(ticket),
                headers: [
                    "x-feedloop-error": .string(reason), "x-feedloop-attempt": .int(5), "x-feedloop-queue": .string(role.queue),
                    "x-feedloop-failed-at": .string(FeedloopJSON.formatTimestamp(failedAt)),
                ]))
    }

    @Test func dlqListShowReplayPurgeRoundTrip() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let broker = try Self.broker(pipeline)
        defer { broker.close() }
        try Topology.declareAll(on: broker, deliveryLimit: 5, retryDelay: .seconds(1))
        try broker.enableConfirms()
        try Self.deadLetter(
            broker, role: .classifier, messageId: "feedback.received/1", type: "feedback.received", ticket: 1, reason: "unknown channel \"fax\"",
            failedMinutesAgo: 30)
        try Self.deadLetter(
            broker, role: .classifier, messageId: "feedback.received/2", type: "feedback.received", ticket: 2, reason: "unknown channel \"telex\"",
            failedMinutesAgo: 20)
        try Self.deadLetter(
            broker, role: .classifier, messageId: "feedback.received/3", type: "feedback.received", ticket: 3, reason: "database timeout", failedMinutesAgo: 1)
        try Self.deadLetter(
            broker, role: .notifier, messageId: "ticket.classified/4", type: "ticket.classified", ticket: 4, reason: "template missing", failedMinutesAgo: 5)
        try broker.waitForConfirms()

        // list: everything, filtered, and nothing lost by reading.
        let list = try Self.ctl(pipeline, ["dlq", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let letters = (Self.json(list.stdout) as? [String: Any])?["dead_letters"] as? [[String: Any]] ?? []
        #expect(letters.count == 4)
        #expect(
            Set(letters.compactMap { $0["message_id"] as? String }) == [
                "feedback.received/1", "feedback.received/2", "feedback.received/3", "ticket.classified/4",
            ])
        #expect(letters.first { $0["message_id"] as? String == "feedback.received/3" }?["reason"] as? String == "database timeout")
        let old = try Self.ctl(pipeline, ["dlq", "list", "--queue", "classifier", "--older-than", "600", "--reason", "CHANNEL", "--json"])
        #expect(((Self.json(old.stdout) as? [String: Any])?["dead_letters"] as? [Any])?.count == 2, "\(old.stdout)")
        #expect(await Self.ready(pipeline, "feedloop.classifier.dead", 3))
        #expect(await Self.ready(pipeline, "feedloop.notifier.dead", 1))

        // show: in full, personal data masked; unknown id exits 3.
        let show = try Self.ctl(pipeline, ["dlq", "show", "feedback.received/2"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("unknown channel \"telex\""))
        #expect(show.stdout.contains("x-feedloop-attempt: 5"))
        #expect(show.stdout.contains("138****1234") && show.stdout.contains("z****@example.com") && show.stdout.contains("张*"))
        #expect(!show.stdout.contains("13812341234") && !show.stdout.contains("zhang@") && !show.stdout.contains("张三"))
        #expect(try Self.ctl(pipeline, ["dlq", "show", "feedback.received/99"]).status == 3)
        #expect(await Self.ready(pipeline, "feedloop.classifier.dead", 3))

        // purge without --yes on a non-terminal: refused, nothing deleted.
        let refused = try Self.ctl(pipeline, ["dlq", "purge", "--queue", "classifier"])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("--yes"))
        #expect(await Self.ready(pipeline, "feedloop.classifier.dead", 3))

        // replay: a dry run sends nothing; the real one moves the two channel failures once.
        let dry = try Self.ctl(pipeline, ["dlq", "replay", "--queue", "classifier", "--reason", "unknown channel", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("would replay to feedloop.classifier"), "\(dry.stdout)\(dry.stderr)")
        #expect(await Self.ready(pipeline, "feedloop.classifier", 0))
        let replay = try Self.ctl(pipeline, ["dlq", "replay", "--queue", "classifier", "--reason", "unknown channel"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(await Self.ready(pipeline, "feedloop.classifier", 2))
        #expect(await Self.ready(pipeline, "feedloop.classifier.dead", 1))
        let again = try Self.ctl(pipeline, ["dlq", "replay", "--queue", "classifier", "--reason", "unknown channel"])
        #expect(again.status == 0 && again.stdout.contains("nothing to replay"), "\(again.stdout)")
        #expect(await Self.ready(pipeline, "feedloop.classifier", 2))

        // The replayed copies: original ids, types and bodies, without the failure headers.
        let reader = try Self.broker(pipeline)
        defer { reader.close() }
        try reader.setPrefetch(10)
        try reader.consume(queue: "feedloop.classifier")
        var replayed: [AMQPDelivery] = []
        while replayed.count < 2, let d = try reader.nextDelivery(timeout: .seconds(5)) { replayed.append(d) }
        #expect(Set(replayed.compactMap(\.properties.messageId)) == ["feedback.received/1", "feedback.received/2"])
        for d in replayed {
            #expect(d.properties.type == "feedback.received")
            #expect(d.properties.headers["x-feedloop-error"] == nil && d.properties.headers["x-feedloop-attempt"] == nil)
            #expect(d.properties.headers["x-feedloop-replayed-at"] != nil)
            #expect(String(decoding: d.body, as: UTF8.self).contains("13812341234"), "the body goes back unmasked")
        }

        // purge --yes empties what it selects, and only that.
        let purge = try Self.ctl(pipeline, ["dlq", "purge", "--queue", "classifier", "--yes", "--json"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(((Self.json(purge.stdout) as? [String: Any])?["purged"] as? [Any])?.count == 1)
        #expect(await Self.ready(pipeline, "feedloop.classifier.dead", 0))
        #expect(await Self.ready(pipeline, "feedloop.notifier.dead", 1))
    }

    @Test func ticketShowTellsTheWholeStoryInOrder() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        try db.execute(
            script: """
                INSERT INTO customers (id, external_ref, name, phone, email) VALUES (7, 'crm-7', '张三', '13812341234', 'zhang@example.com');
                INSERT INTO tickets (id, channel, body, state, category, sentiment, level, department, received_at, classified_at, state_changed_at, customer_id)
                VALUES (42, 'chat', '屏幕有坏点, call 13812341234', 'resolved', 'product', 'negative', 2, 'product_quality',
                        now() - interval '60 minutes', now() - interval '59 minutes', now() - interval '10 minutes', 7);
                INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, at) VALUES
                    (42, 'received', 'open', 'classifier', now() - interval '59 minutes'),
                    (42, 'open', 'in_progress', 'li.wei', now() - interval '40 minutes'),
                    (42, 'in_progress', 'resolved', 'li.wei', now() - interval '10 minutes');
                INSERT INTO ticket_actions (ticket_id, action, from_state, to_state, actor, note, at) VALUES
                    (42, 'respond', 'open', 'in_progress', 'li.wei', 'We are on it', now() - interval '40 minutes'),
                    (42, 'resolve', 'in_progress', 'resolved', 'li.wei', 'Unit replaced', now() - interval '10 minutes');
                INSERT INTO sla_clocks (ticket_id, metric, started_at, target_seconds, due_at, state, warned_at, breached_at, stopped_at) VALUES
                    (42, 'first_response', now() - interval '59 minutes', 900, now() - interval '44 minutes', 'met', now() - interval '50 minutes',
                     now() - interval '44 minutes', now() - interval '40 minutes');
                INSERT INTO escalations (ticket_id, metric, step, notify, due_at, escalated_at, assignee, reason)
                VALUES (42, 'first_response', 1, 'team_lead', now() - interval '44 minutes', now() - interval '43 minutes', 'wang.fang', 'breached');
                INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, body, status, attempts, created_at, sent_at)
                VALUES ('ticket.classified/42/customer/customer:crm-7/email', 42, 'ticket.classified', 'customer', 'customer:crm-7', 'email', 'x', 'sent', 1,
                        now() - interval '58 minutes', now() - interval '57 minutes');
                """)
        let shown = try Self.ctl(pipeline, ["ticket", "show", "42", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = Self.json(shown.stdout) as? [String: Any] ?? [:]
        let kinds = (object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(
            kinds == [
                "received", "classified", "transition", "clock_started", "notification", "notification_sent", "clock_warned", "clock_breached",
                "escalation", "transition", "action", "clock_stopped", "transition", "action",
            ], "\(kinds)")
        let customer = (object["ticket"] as? [String: Any])?["customer"] as? [String: Any] ?? [:]
        #expect(customer["phone"] as? String == "138****1234" && customer["name"] as? String == "张*")
        #expect(!shown.stdout.contains("13812341234") && !shown.stdout.contains("zhang@example.com"))
        let clocks = object["clocks"] as? [[String: Any]] ?? []
        #expect(clocks.count == 1 && clocks.first?["state"] as? String == "met" && clocks.first?["breached_at"] != nil)

        let text = try Self.ctl(pipeline, ["ticket", "show", "42"])
        #expect(text.status == 0 && text.stdout.contains("first_response escalation step 1 to wang.fang (breached)"), "\(text.stdout)")
        #expect(try Self.ctl(pipeline, ["ticket", "show", "4242"]).status == 3)
    }

    @Test func statusJSONHasEveryField() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let broker = try Self.broker(pipeline)
        try Topology.declareAll(on: broker, deliveryLimit: 5, retryDelay: .seconds(1))
        try broker.enableConfirms()
        try Self.deadLetter(broker, role: .escalator, messageId: "ticket.classified/9", type: "ticket.classified", ticket: 9, reason: "x", failedMinutesAgo: 1)
        try broker.waitForConfirms()
        broker.close()
        let db = try pipeline.database.connect()
        try db.execute(
            script: """
                INSERT INTO tickets (channel, body, state, received_at, state_changed_at)
                VALUES ('chat', 'a', 'received', now() - interval '10 minutes', now() - interval '10 minutes'), ('chat', 'b', 'received', now(), now());
                """)
        db.close()
        let status = try Self.ctl(pipeline, ["status", "--json", "--interval", "0.3"])
        #expect(status.status == 0, "\(status.stderr)")
        let object = Self.json(status.stdout) as? [String: Any] ?? [:]
        for key in ["queues", "dead_letters", "tickets_by_state", "stuck", "outbox", "notifications_by_status", "overdue_sla_clocks", "sla_breaches_today"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let queues = object["queues"] as? [[String: Any]] ?? []
        #expect(queues.count == WorkerRole.allCases.count * 3)
        let classifier = queues.first { $0["queue"] as? String == "feedloop.classifier" } ?? [:]
        for key in ["ready", "consumers", "ready_change_per_second", "handled_per_second", "published_per_second"] {
            #expect(classifier[key] != nil, "feedloop.classifier lacks \(key)")
        }
        #expect((object["dead_letters"] as? [String: Any])?["by_role"] as? [String: Int] == ["classifier": 0, "escalator": 1, "notifier": 0, "analytics": 0])
        #expect((object["tickets_by_state"] as? [String: Int])?["received"] == 2)
        let stuck = object["stuck"] as? [String: Any] ?? [:]
        #expect(stuck["total"] as? Int == 1 && (stuck["by_state"] as? [String: Int])?["received"] == 1, "\(stuck)")
        #expect((object["sla_breaches_today"] as? [String: Any])?["escalations"] as? Int == 0)
    }

    @Test func requeueTwiceRepublishesTheSameMessageIdsAndTheClassifierHandlesOnce() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        try db.execute(
            script: """
                INSERT INTO tickets (id, channel, body, state, received_at, state_changed_at)
                VALUES (501, 'chat', '手机屏幕碎了，要求退货', 'received', now() - interval '10 minutes', now() - interval '10 minutes');
                INSERT INTO tickets (id, channel, body, state, category, sentiment, level, department, received_at, classified_at, state_changed_at)
                VALUES (502, 'chat', 'ok', 'resolved', 'product', 'neutral', 3, 'product_quality', now() - interval '2 hours', now() - interval '2 hours',
                        now() - interval '1 hour');
                INSERT INTO ticket_actions (id, ticket_id, action, from_state, to_state, actor, at)
                OVERRIDING SYSTEM VALUE VALUES (77, 502, 'resolve', 'in_progress', 'resolved', 'li.wei', now() - interval '1 hour');
                """)
        var runs: [[String]] = []
        for _ in 0..<2 {
            let run = try Self.ctl(pipeline, ["requeue", "--all-stuck", "--json"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            let items = (Self.json(run.stdout) as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(items.allSatisfy { $0["status"] as? String == "published" }, "\(items)")
            runs.append(items.compactMap { $0["message_id"] as? String }.sorted())
        }
        #expect(runs[0] == ["feedback.received/501", "ticket.resolved/502/77"])
        #expect(runs[1] == runs[0])
        #expect(await Self.ready(pipeline, "feedloop.classifier", 2))
        #expect(await Self.ready(pipeline, "feedloop.notifier", 2))

        // The second copy is a no-op for the consumer: one classification, one inbox row.
        try pipeline.start("feedloop-classifier")
        let handled = try await eventually(timeout: .seconds(30)) {
            try pipeline.readyMessages(in: "feedloop.classifier") == 0
                && pipeline.database.scalar(String.self, "SELECT state FROM tickets WHERE id = 501") == "open"
        }
        #expect(handled, "\(pipeline.logsSummary())")
        try await Task.sleep(for: .milliseconds(500))
        #expect(
            try pipeline.database.scalar(Int.self, "SELECT count(*) FROM inbox WHERE consumer = 'classifier' AND message_id = 'feedback.received/501'") == 1)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM ticket_transitions WHERE ticket_id = 501 AND to_state = 'open'") == 1)
        #expect(pipeline.stopAll().isEmpty, "\(pipeline.logsSummary())")
    }

    @Test func stuckFindsEveryWaitAndRequeueWakesLateNotifications() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        try db.execute(
            script: """
                INSERT INTO tickets (id, channel, body, state, category, sentiment, level, department, received_at, classified_at, state_changed_at) VALUES
                    (601, 'chat', 'a', 'received', NULL, NULL, NULL, NULL, now() - interval '5 minutes', NULL, now() - interval '5 minutes'),
                    (602, 'chat', 'b', 'in_progress', 'product', 'negative', 2, 'product_quality', now() - interval '1 hour', now() - interval '1 hour',
                     now() - interval '30 minutes'),
                    (603, 'chat', 'c', 'resolved', 'product', 'neutral', 3, 'product_quality', now() - interval '2 hours', now() - interval '2 hours',
                     now() - interval '20 minutes'),
                    (604, 'chat', 'd', 'acknowledged', 'product', 'negative', 1, 'product_quality', now() - interval '1 hour', now() - interval '1 hour',
                     now() - interval '50 minutes'),
                    (605, 'chat', 'e', 'received', NULL, NULL, NULL, NULL, now(), NULL, now());
                INSERT INTO ticket_actions (ticket_id, action, from_state, to_state, actor, at)
                VALUES (603, 'resolve', 'in_progress', 'resolved', 'li.wei', now() - interval '20 minutes');
                INSERT INTO sla_clocks (ticket_id, metric, started_at, target_seconds, due_at, state, next_fire_at) VALUES
                    (603, 'resolution', now() - interval '2 hours', 86400, NULL, 'met', NULL),
                    (604, 'first_response', now() - interval '1 hour', 1800, now() - interval '30 minutes', 'running', now() - interval '10 minutes');
                INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, body, status, attempts, next_attempt_at)
                VALUES ('k604', 604, 'ticket.classified', 'customer', 'customer:x', 'log', 'x', 'pending', 1, now() - interval '15 minutes');
                """)
        let stuck = try Self.ctl(pipeline, ["stuck", "--json"])
        #expect(stuck.status == 0, "\(stuck.stderr)")
        let rows = (Self.json(stuck.stdout) as? [[String: Any]] ?? []).map { "\($0["ticket_id"] as? Int ?? 0) \($0["waiting_for"] as? String ?? "")" }
        #expect(
            Set(rows) == [
                "601 classification", "602 sla_clocks", "603 follow_up", "604 escalation", "604 notification_delivery",
            ], "\(rows)")
        // A longer threshold: five minutes in `received` is not stuck under ten.
        let patient = try Self.ctl(pipeline, ["stuck", "--json", "--step", "classification", "--received-after", "600"])
        #expect((Self.json(patient.stdout) as? [Any])?.count == 0, "\(patient.stdout)")
        #expect(try Self.ctl(pipeline, ["stuck", "--step", "nonsense"]).status == 64)

        let requeue = try Self.ctl(pipeline, ["requeue", "--ticket", "604", "--json"])
        #expect(requeue.status == 0, "\(requeue.stdout)\(requeue.stderr)")
        let items = (Self.json(requeue.stdout) as? [String: Any])?["items"] as? [[String: Any]] ?? []
        let byStep = Dictionary(uniqueKeysWithValues: items.map { ($0["waiting_for"] as? String ?? "", $0) })
        #expect(byStep["escalation"]?["status"] as? String == "skipped")
        #expect(byStep["notification_delivery"]?["status"] as? String == "published")
        #expect(byStep["notification_delivery"]?["event"] as? String == "notification.wake")
        #expect(await Self.ready(pipeline, "feedloop.notifier.deliver", 1))
    }
}

/// Data written by one thread and read by another.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
