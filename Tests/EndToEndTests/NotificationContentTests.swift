import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// What the notifier writes for each event, on a real broker and database: exactly the routed
/// rows per ticket, in the recipient's language and channel, personal data only in the
/// customer's own message, no duplicates after a SIGKILL mid-batch; and a template naming a
/// variable its message lacks stops the notifier at start.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct NotificationContentTests {
    static let config = TestServers.repositoryRoot.appendingPathComponent("config")
    static let secret = "end-to-end survey link secret 0123456789"

    /// A pipeline with the shipped content configuration and a broker connection for publishing
    /// events as the other workers would.
    struct Fixture {
        let pipeline: Pipeline
        let broker: AMQPConnection

        init(environment: [String: String] = [:]) throws {
            pipeline = try Pipeline(
                extraEnvironment: [
                    "FEEDLOOP_NOTIFICATIONS": NotificationContentTests.config.appendingPathComponent("notifications.yaml").path,
                    "FEEDLOOP_SURVEY_LINK_SECRET": NotificationContentTests.secret,
                ].merging(environment) { _, new in new })
            broker = try AMQPConnection(url: pipeline.vhost.amqpURL(), logger: TestServers.logger)
            try broker.enableConfirms()
        }

        /// Starts the notifier and waits until its queue exists, so nothing published is dropped.
        @discardableResult
        func startNotifier(name: String = "feedloop-notifier", environment: [String: String] = [:]) async throws -> WorkerProcess {
            let worker = try pipeline.start("feedloop-notifier", name: name, environment: environment)
            let ready = await eventually(timeout: .seconds(60)) { (try? pipeline.readyMessages(in: WorkerRole.notifier.queue)) != nil }
            if !ready { throw NotifierDidNotStart(logs: pipeline.logsSummary()) }
            return worker
        }

        struct NotifierDidNotStart: Error, CustomStringConvertible {
            var logs: String
            var description: String { "the notifier's queue did not appear\n\(logs)" }
        }

        func publish(_ messages: [OutgoingMessage]) throws {
            for m in messages {
                try broker.publish(
                    exchange: m.exchange, routingKey: m.routingKey, body: m.body,
                    properties: AMQPMessageProperties(contentType: "application/json", messageId: m.messageId, type: m.type, persistent: true))
            }
            try broker.waitForConfirms()
        }

        func count(_ sql: String, _ parameters: [PostgresBind] = []) throws -> Int {
            try pipeline.database.scalar(Int.self, sql, parameters)
        }

        func tearDown() {
            broker.close()
            pipeline.tearDown()
        }
    }

    /// A customer of the generated tickets: how they can be reached decides the channel.
    enum Contact: CaseIterable {
        case emailEnglish, emailChinese, phoneOnly, noRecord
    }

    /// Stores `count` open tickets (as the classifier leaves them) with customers of every
    /// contact kind, in customer_service (a shared inbox) and rd (a team webhook); returns
    /// their classified events.
    static func openTickets(_ count: Int, in db: PostgresConnection, run: String) throws -> [(id: Int64, contact: Contact, event: TicketClassified)] {
        let now = Date()
        var result: [(Int64, Contact, TicketClassified)] = []
        try db.transaction { tx in
            for i in 0..<count {
                let contact = Contact.allCases[i % Contact.allCases.count]
                let department = i % 2 == 0 ? "customer_service" : "rd"
                var customerId: PostgresBind = .null
                var ref: PostgresBind = .null
                if contact != .noRecord {
                    let reference = "\(run)-c\(i)"
                    ref = .text(reference)
                    customerId = .int(
                        try tx.query(
                            "INSERT INTO customers (external_ref, tier, name, phone, email, locale) VALUES ($1, 'regular', $2, $3, $4, $5) RETURNING id",
                            [
                                .text(reference), .text("张三\(i)"), .text("1380000\(String(format: "%04d", i))"),
                                contact == .phoneOnly ? .null : .text("customer\(i)@example.com"),
                                .text(contact == .emailEnglish ? "en-US" : "zh-CN"),
                            ]
                        )[0].decode(Int64.self, at: 0))
                }
                let id = try tx.query(
                    """
                    INSERT INTO tickets (channel, external_id, customer_ref, customer_id, customer_tier, body, state, category, level, department,
                                         received_at, classified_at)
                    VALUES ('chat', $1, $2, $3, 'regular', $4, 'open', 'product', 2, $5, $6, $6) RETURNING id
                    """,
                    [.text("\(run)-\(i)"), ref, customerId, .text("耳机左边没有声音 \(i)"), .text(department), .timestamp(now)]
                )[0].decode(Int64.self, at: 0)
                let event = TicketClassified(
                    ticketId: id, channel: .chat, category: .product, subcategory: nil, sentiment: .negative, level: .important,
                    levelRule: "test", department: department, customerTier: .regular, receivedAt: now, classifiedAt: now)
                result.append((id, contact, event))
            }
        }
        return result
    }

    @Test func thousandClassifiedTicketsGiveExactlyTheRoutedRowsEvenAcrossASIGKILL() async throws {
        let f = try Fixture()
        defer { f.tearDown() }
        let db = try f.pipeline.database.connect()
        defer { db.close() }
        let tickets = try Self.openTickets(1000, in: db, run: "n\(UInt32.random(in: 0...UInt32.max))")
        let first = try await f.startNotifier(name: "notifier-1")

        let messages = try tickets.map { try OutgoingMessage.event($0.event) }
        try f.publish(Array(messages[..<500]))
        // Kill it as soon as it has written some rows, while the rest is in flight.
        let started = await eventually(timeout: .seconds(60), every: .milliseconds(20)) { ((try? f.count("SELECT count(*) FROM notifications")) ?? 0) > 0 }
        #expect(started, "no rows written: \(f.pipeline.logsSummary())")
        try f.publish(Array(messages[500...]))
        first.kill()
        // Every event once more: a redelivery must not write a second row either.
        try f.publish(Array(messages[..<100]))
        try await f.startNotifier(name: "notifier-2")

        let expected = 2 * tickets.count
        let settled = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
            ((try? f.count("SELECT count(*) FROM notifications")) ?? 0) >= expected
        }
        #expect(settled, "\(f.pipeline.logsSummary())")
        // Give a duplicate the time to show.
        try await Task.sleep(for: .seconds(2))
        #expect(try f.count("SELECT count(*) FROM notifications") == expected)
        #expect(try f.count("SELECT count(DISTINCT (ticket_id, audience)) FROM notifications") == expected, "one row per ticket and audience")
        #expect(try f.count("SELECT count(DISTINCT ticket_id) FROM notifications WHERE audience = 'customer'") == tickets.count)
        #expect(try f.count("SELECT count(DISTINCT ticket_id) FROM notifications WHERE audience = 'department'") == tickets.count)
        #expect(try f.count("SELECT count(*) FROM notifications WHERE status NOT IN ('pending', 'sent', 'dead')") == 0)

        // Channel, address and language follow the customer record.
        let ids = { (c: Contact) in tickets.filter { $0.contact == c }.map(\.id) }
        func customerRows(_ contact: Contact, _ condition: String) throws -> Int {
            try f.count(
                "SELECT count(*) FROM notifications WHERE audience = 'customer' AND ticket_id = ANY($1::int8[]) AND \(condition)", [.intArray(ids(contact))])
        }
        #expect(try customerRows(.emailEnglish, "channel = 'email' AND address LIKE 'customer%@example.com' AND locale = 'en'") == 250)
        #expect(try customerRows(.emailEnglish, "subject LIKE 'We received your feedback (ticket %' AND body LIKE 'Dear 张三%'") == 250)
        #expect(try customerRows(.emailChinese, "channel = 'email' AND locale = 'zh-CN' AND subject LIKE '您的反馈已受理%'") == 250)
        #expect(try customerRows(.phoneOnly, "channel = 'sms' AND address LIKE '1380000%' AND body LIKE '%耳机左边没有声音%'") == 250)
        #expect(try customerRows(.noRecord, "channel = 'log' AND address IS NULL") == 250)
        // The promised first response (level 2, regular: 4 hours) is in the acknowledgement.
        #expect(try customerRows(.emailEnglish, "body LIKE '%within 4 h (by %'") == 250)

        // Staff get the department's inbox (customer_service) or team webhook (rd), masked data only.
        #expect(
            try f.count(
                "SELECT count(*) FROM notifications WHERE audience = 'department' AND recipient = 'department:customer_service' AND channel = 'email' AND address = 'cs-team@feedloop.example'"
            ) == 500)
        #expect(
            try f.count(
                "SELECT count(*) FROM notifications WHERE audience = 'department' AND recipient = 'department:rd' AND channel = 'webhook' AND address = 'https://chat.feedloop.example/hooks/rd'"
            ) == 500)
        #expect(
            try f.count(
                "SELECT count(*) FROM notifications WHERE audience = 'department' AND (body LIKE '%张三%' OR body LIKE '%耳机%' OR body ~ '1380000[0-9]{4}')") == 0)
        #expect(try f.count("SELECT count(*) FROM notifications WHERE audience = 'department' AND body LIKE '%张*%' AND body LIKE '%138****%'") == 750)
        #expect(try f.count("SELECT count(*) FROM notifications WHERE audience = 'department' AND body LIKE '%二级（重要）%'") == 1000)
        // Logs never carry addresses or names.
        let logs = f.pipeline.workers.map(\.log).joined()
        #expect(!logs.contains("@example.com") && !logs.contains("张三"), "personal data in a log")
        _ = f.pipeline.stopAll()
    }

    @Test func escalationsGoToTheLadderStepsPersonWithHowLateAndTheHistory() async throws {
        let f = try Fixture()
        defer { f.tearDown() }
        let db = try f.pipeline.database.connect()
        defer { db.close() }
        let ticket = try Self.openTickets(1, in: db, run: "e\(UInt32.random(in: 0...UInt32.max))")[0]
        let due = Date().addingTimeInterval(-3 * 3600)
        let step1 = TicketEscalated(
            ticketId: ticket.id, metric: .firstResponse, step: 1, notify: "assignee", department: "customer_service", dueAt: due,
            escalatedAt: due.addingTimeInterval(60))
        let step2 = TicketEscalated(
            ticketId: ticket.id, metric: .firstResponse, step: 2, notify: "department_head", department: "customer_service", dueAt: due,
            escalatedAt: due.addingTimeInterval(2 * 3600 + 15 * 60), reason: "first response overdue")
        for e in [step1, step2] {
            try db.query(
                "INSERT INTO escalations (ticket_id, metric, step, notify, due_at, escalated_at) VALUES ($1, $2, $3, $4, $5, $6)",
                [.int(e.ticketId), .text(e.metric.rawValue), .int(Int64(e.step)), .text(e.notify), .timestamp(e.dueAt), .timestamp(e.escalatedAt)])
        }
        try await f.startNotifier()
        try f.publish([try .event(step1), try .event(step2)])
        let written = await eventually(timeout: .seconds(30)) { ((try? f.count("SELECT count(*) FROM notifications")) ?? 0) >= 3 }
        #expect(written, "\(f.pipeline.logsSummary())")
        // Step 1: no assignee, so the team lead (email only); step 2: the head by email and SMS.
        #expect(try f.count("SELECT count(*) FROM notifications WHERE audience = 'escalation' AND recipient = 'zhao.lei' AND channel = 'email'") == 1)
        #expect(try f.count("SELECT count(*) FROM notifications WHERE audience = 'escalation' AND recipient = 'li.na'") == 2)
        let body = try f.pipeline.database.scalar(
            String.self, "SELECT coalesce(max(body), '') FROM notifications WHERE recipient = 'li.na' AND channel = 'email'")
        #expect(body.contains("已超时 2 小时 15 分钟"), "\(body)")
        #expect(body.contains("第 1 级 首次响应，通知处理人"), "history names the earlier step: \(body)")
        #expect(body.contains("原因：first response overdue"))
        #expect(!body.contains("张三"))
        _ = f.pipeline.stopAll()
    }

    @Test func aTemplateNamingAVariableItsMessageLacksStopsTheNotifierAtStart() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("notify-config"))
        try FileManager.default.copyItem(at: Self.config, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let template = copy.appendingPathComponent("templates/ticket.classified/department.en.mustache")
        // A staff message asking for the customer's real name: not among its variables.
        let text = try String(contentsOf: template, encoding: .utf8) + "\nCall {{customer_name}} back.\n"
        try text.write(to: template, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["FEEDLOOP_NOTIFICATIONS"] = copy.appendingPathComponent("notifications.yaml").path
        // Nothing to connect to: the check runs before any connection.
        environment["FEEDLOOP_DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
        environment["FEEDLOOP_AMQP_URL"] = "amqp://nobody:none@127.0.0.1:1/"
        let result = try ProcessRunner.run(WorkerProcess.binDirectory.appendingPathComponent("feedloop-notifier").path, [], environment: environment)
        #expect(result.status != 0)
        #expect(result.output.contains("\(template.path): unknown variable {{customer_name}}"), "\(result.output)")
        #expect(!result.output.contains("worker starting"), "refused before consuming: \(result.output)")
    }
}
