import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// The notifier's delivery half against real local servers: an SMTP sink (aiosmtpd), a
/// webhook receiver that verifies signatures, the broker's TTL'd retry queues. Rows are
/// inserted straight into `notifications`, as the handler would, so each case controls exactly
/// what is due. "Once" is counted as the recipient counts it: by Message-ID and delivery id.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct NotificationDeliveryTests {
    static let secret = "whsec_end_to_end"

    /// Inserts one pending row per address (nil: no address) and returns their ids in order.
    @discardableResult
    static func insert(
        _ pipeline: Pipeline, channel: String, addresses: [String?], audience: String = "staff", run: String = UUID().uuidString
    ) throws -> [Int64] {
        let db = try pipeline.database.connect()
        defer { db.close() }
        return try db.query(
            """
            INSERT INTO notifications (dedupe_key, ticket_id, event_type, audience, recipient, channel, address, subject, body, body_html, locale)
            SELECT $1 || '/' || a.i, a.i, 'ticket.classified', $2, 'recipient-' || a.i, $3, nullif(a.address, ''),
                   '工单 #' || a.i || ' 已受理 (ticket received)', 'Ticket ' || a.i || E' received.\\n.A line starting with a dot.',
                   '<p>Ticket <b>' || a.i || '</b></p>', 'zh-CN'
            FROM unnest($4::text[]) WITH ORDINALITY AS a(address, i)
            ORDER BY a.i
            RETURNING id
            """,
            [.text(run), .text(audience), .text(channel), .textArray(addresses.map { $0 ?? "" })]
        ).map { try $0.decode(Int64.self, at: 0) }.sorted()
    }

    static func count(_ pipeline: Pipeline, _ sql: String) -> Int {
        (try? pipeline.database.scalar(Int.self, sql)) ?? -1
    }

    static func notifier(_ pipeline: Pipeline, name: String = "notifier", _ environment: [String: String]) throws -> WorkerProcess {
        try pipeline.start(
            "feedloop-notifier", name: name,
            // The webhook receivers run in this process, on cooperative threads that the suites
            // running in parallel can hold for half a minute: a slow answer must not look like
            // an outage (a timed-out POST is sent again, and the receiver would count it twice).
            environment: [
                "FEEDLOOP_SMTP_FROM": "Feedloop <notify@feedloop.test>", "FEEDLOOP_NOTIFY_RATE_PER_MINUTE": "0", "FEEDLOOP_WEBHOOK_TIMEOUT_MS": "120000",
            ].merging(environment) { _, new in new }
        )
    }

    @Test func emailArrivesOnceAndARefusedAddressIsDeadWithItsReason() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let sink = try SMTPSink()
        defer { sink.stop() }
        let good = try Self.insert(pipeline, channel: "email", addresses: (1...200).map { "customer\($0)@example.com" })
        let refused = try Self.insert(pipeline, channel: "email", addresses: (1...5).map { "reject\($0)@example.com" })
        try Self.notifier(pipeline, ["FEEDLOOP_SMTP_URL": sink.url])

        let settled = await eventually(timeout: .seconds(45)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status IN ('sent', 'dead')") == good.count + refused.count
        }
        #expect(settled, "not every row settled:\n\(pipeline.logsSummary())")
        #expect(Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == good.count)

        let messages = sink.messages
        #expect(messages.count == good.count, "one message per row, none twice")
        #expect(Set(messages.compactMap(\.messageId)).count == good.count)
        #expect(Set(messages.compactMap { $0.notificationId.flatMap { Int64($0) } }) == Set(good))
        #expect(messages.allSatisfy { $0.recipients.count == 1 && $0.recipients[0].hasPrefix("customer") })
        let sample = try #require(messages.first)
        #expect(sample.headers["content-type"]?.hasPrefix("multipart/alternative;") == true)
        #expect(sample.headers["subject"]?.hasPrefix("=?UTF-8?B?") == true)
        #expect(sample.headers["from"] == "Feedloop <notify@feedloop.test>")

        // Refused for good at the first attempt, with the server's code and reason kept.
        let db = try pipeline.database.connect()
        defer { db.close() }
        for row in try db.query(
            "SELECT status, dead_reason, attempts FROM notifications WHERE id = ANY($1::int8[])", [.intArray(refused)]
        ) {
            #expect(try row.decode(String.self, at: 0) == "dead")
            #expect(try row.decode(String.self, at: 1).hasPrefix("SMTP 550"))
            #expect(try row.decode(Int.self, at: 2) == 1)
        }
        #expect(
            Self.count(pipeline, "SELECT count(*) FROM notification_attempts WHERE outcome = 'permanent' AND response_code = 550") == refused.count
        )
        #expect(
            Self.count(pipeline, "SELECT count(*) FROM notification_attempts WHERE outcome = 'delivered' AND response_code = 250 AND channel = 'email'")
                == good.count
        )
        // Addresses are personal data: never in the log.
        #expect(!pipeline.workers.map(\.log).joined().contains("@example.com"))
        #expect(pipeline.stopAll().isEmpty, "the notifier exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func smtpAuthIsUsedAndARefusedLoginIsPermanent() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let sink = try SMTPSink(credentials: ("feedloop", "s3cret"))
        defer { sink.stop() }
        let ids = try Self.insert(pipeline, channel: "email", addresses: (1...3).map { "auth\($0)@example.com" })
        let refused = try Self.notifier(
            pipeline, name: "notifier-wrong-password",
            ["FEEDLOOP_SMTP_URL": sink.url, "FEEDLOOP_SMTP_USER": "feedloop", "FEEDLOOP_SMTP_PASSWORD": "wrong"]
        )
        let dead = await eventually(timeout: .seconds(20)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'dead' AND dead_reason LIKE 'SMTP 535%'") == ids.count
        }
        #expect(dead, "a refused login is permanent:\n\(pipeline.logsSummary())")
        #expect(!pipeline.workers.map(\.log).joined().contains("wrong"), "the password is never logged")
        refused.terminate()
        #expect(sink.messages.isEmpty)

        try pipeline.database.connect().query("UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_reason = NULL")
        try Self.notifier(
            pipeline, name: "notifier-right-password",
            ["FEEDLOOP_SMTP_URL": sink.url, "FEEDLOOP_SMTP_USER": "feedloop", "FEEDLOOP_SMTP_PASSWORD": "s3cret"]
        )
        let sent = await eventually(timeout: .seconds(20)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == ids.count
        }
        #expect(sent, "not delivered with the right password:\n\(pipeline.logsSummary())")
        #expect(sink.messages.count == ids.count)
        #expect(pipeline.stopAll().isEmpty, "the notifier exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func aWebhookDownForAWhileGetsEveryMessageOnceThroughTheRetryQueues() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        receiver.failing = true
        let ids = try Self.insert(pipeline, channel: "webhook", addresses: Array(repeating: nil, count: 100))
        // The sweep is an hour away: only the broker's retry queues can bring the rows back.
        try Self.notifier(
            pipeline,
            [
                "FEEDLOOP_WEBHOOK_URL": receiver.url, "FEEDLOOP_WEBHOOK_SECRET": Self.secret, "FEEDLOOP_NOTIFY_RETRY_DELAYS": "1s,2s",
                "FEEDLOOP_NOTIFY_MAX_ATTEMPTS": "30", "FEEDLOOP_NOTIFY_SWEEP_MS": "3600000",
            ]
        )
        // Generous: the receiver and this poll run on the test process's cooperative threads,
        // which the other suites running in parallel can hold for half a minute.
        let failedTwice = await eventually(timeout: .seconds(90)) {
            Self.count(pipeline, "SELECT count(*) FROM notification_attempts WHERE outcome = 'transient' AND response_code = 500") >= 2 * ids.count
        }
        #expect(failedTwice, "the outage was not retried:\n\(pipeline.logsSummary())")
        #expect(try pipeline.readyMessages(in: "feedloop.notifier.retry.2s") >= 0, "the retry queue exists")
        #expect(Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'pending'") == ids.count)
        receiver.failing = false

        let delivered = await eventually(timeout: .seconds(90)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == ids.count
        }
        #expect(delivered, "not every row was delivered after the receiver recovered:\n\(pipeline.logsSummary())")
        let posts = receiver.deliveries
        #expect(posts.count == ids.count, "each message reached the receiver once")
        #expect(Set(posts.compactMap { $0.deliveryId.flatMap { Int64($0) } }) == Set(ids))
        #expect(receiver.refused == 0, "every delivery was signed and fresh")
        #expect(Self.count(pipeline, "SELECT count(*) FROM notification_attempts WHERE outcome = 'delivered' AND response_code = 204") == ids.count)
        #expect(pipeline.stopAll().isEmpty, "the notifier exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func exhaustedRetriesAreDeadAndFeedloopctlReplaysThem() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let sink = try SMTPSink()
        defer { sink.stop() }
        sink.temporaryFailure = true
        let ids = try Self.insert(pipeline, channel: "email", addresses: (1...20).map { "staff\($0)@example.com" })
        try Self.notifier(
            pipeline, ["FEEDLOOP_SMTP_URL": sink.url, "FEEDLOOP_NOTIFY_RETRY_DELAYS": "1s", "FEEDLOOP_NOTIFY_MAX_ATTEMPTS": "3"]
        )
        let dead = await eventually(timeout: .seconds(30)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'dead'") == ids.count
        }
        #expect(dead, "rows were not given up after 3 attempts:\n\(pipeline.logsSummary())")
        #expect(
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE dead_reason LIKE 'gave up after 3 attempts: SMTP 451%'") == ids.count
        )
        #expect(Self.count(pipeline, "SELECT count(*) FROM notification_attempts WHERE outcome = 'transient' AND response_code = 451") == 3 * ids.count)
        #expect(sink.messages.isEmpty)

        let environment = ProcessInfo.processInfo.environment.merging(
            ["FEEDLOOP_DATABASE_URL": pipeline.database.url, "FEEDLOOP_AMQP_URL": pipeline.vhost.url]
        ) { _, new in new }
        let ctl = WorkerProcess.binDirectory.appendingPathComponent("feedloopctl").path
        let listed = try ProcessRunner.run(ctl, ["notifications", "dead"], environment: environment)
        #expect(listed.status == 0 && listed.output.contains("\(ids.count) dead"), "\(listed.output)")
        #expect(!listed.output.contains("@example.com"), "addresses are masked")

        sink.temporaryFailure = false
        let replay = try ProcessRunner.run(ctl, ["notifications", "replay", "--all"], environment: environment)
        #expect(replay.status == 0 && replay.output.contains("replayed \(ids.count) notifications"), "\(replay.output)")
        let delivered = await eventually(timeout: .seconds(20)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == ids.count
        }
        #expect(delivered, "replayed rows were not delivered:\n\(pipeline.logsSummary())")
        #expect(sink.messages.count == ids.count)
        let attempts = try ProcessRunner.run(ctl, ["notifications", "attempts", String(ids[0])], environment: environment)
        #expect(attempts.output.contains("451") && attempts.output.contains("delivered"), "\(attempts.output)")
        #expect(pipeline.stopAll().isEmpty, "the notifier exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func aNotifierKilledMidBatchLosesNothingAndTheRecipientSeesNoRepeat() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let sink = try SMTPSink()
        defer { sink.stop() }
        let ids = try Self.insert(pipeline, channel: "email", addresses: (1...1000).map { "c\($0)@example.com" })
        let environment = ["FEEDLOOP_SMTP_URL": sink.url, "FEEDLOOP_NOTIFY_SWEEP_MS": "2000"]
        let victim = try Self.notifier(pipeline, name: "notifier-victim", environment)
        let kill = Tripwire(timeout: 30, when: { sink.messages.count >= 150 }) {
            victim.kill()
            return Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'")
        }
        let sentWhenKilled = await kill.result()
        #expect(sentWhenKilled != nil, "the notifier never got going:\n\(pipeline.logsSummary())")
        #expect((sentWhenKilled ?? ids.count) < ids.count, "the notifier was killed mid-run")

        try Self.notifier(pipeline, name: "notifier-survivor", environment)
        let delivered = await eventually(timeout: .seconds(50)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == ids.count
        }
        #expect(delivered, "not every row was sent after the restart:\n\(pipeline.logsSummary())")
        let messages = sink.messages
        // At least once on the wire; exactly once for the recipient, who keys on Message-ID.
        let byMessageId = Dictionary(grouping: messages, by: { $0.messageId ?? "" })
        #expect(byMessageId.count == ids.count, "every row arrived")
        #expect(Set(messages.compactMap { $0.notificationId.flatMap { Int64($0) } }) == Set(ids), "no row missing")
        #expect(byMessageId.values.allSatisfy { Set($0.map(\.notificationId)).count == 1 }, "one Message-ID per row")
        print("killed notifier: \(messages.count - ids.count) repeats on the wire out of \(messages.count), recognised by Message-ID")
        #expect(pipeline.stopAll().isEmpty, "the survivor exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }

    @Test func rateLimitAndQuietHoursHoldMessagesInsteadOfDroppingThem() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // Quiet hours from an hour ago to an hour from now (UTC): customers wait, staff do not.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func hhmm(_ date: Date) -> String {
            let c = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", c.hour!, c.minute!)
        }
        let window = "\(hhmm(Date().addingTimeInterval(-3600)))-\(hhmm(Date().addingTimeInterval(3600)))"
        let staff = try Self.insert(pipeline, channel: "webhook", addresses: Array(repeating: receiver.url, count: 5))
        let customer = try Self.insert(pipeline, channel: "webhook", addresses: [receiver.url + "?customer"], audience: "customer")
        try Self.notifier(
            pipeline, ["FEEDLOOP_NOTIFY_RATE_PER_MINUTE": "2", "FEEDLOOP_QUIET_HOURS": window, "FEEDLOOP_QUIET_HOURS_TZ": "UTC"]
        )
        let settled = await eventually(timeout: .seconds(20)) {
            Self.count(pipeline, "SELECT count(*) FROM notifications WHERE held_reason IS NOT NULL") == 4
        }
        #expect(settled, "holds not recorded:\n\(pipeline.logsSummary())")
        #expect(Self.count(pipeline, "SELECT count(*) FROM notifications WHERE status = 'sent'") == 2)
        #expect(receiver.deliveries.count == 2, "two per minute to one address")
        #expect(
            Self.count(
                pipeline,
                "SELECT count(*) FROM notifications WHERE held_reason = 'rate_limit' AND status = 'pending' AND next_attempt_at > now() + interval '30 seconds'"
            ) == 3
        )
        #expect(
            Self.count(
                pipeline,
                """
                SELECT count(*) FROM notifications WHERE id = \(customer[0]) AND held_reason = 'quiet_hours' AND status = 'pending'
                AND next_attempt_at > now() + interval '50 minutes'
                """
            ) == 1
        )
        #expect(Self.count(pipeline, "SELECT count(*) FROM notification_attempts") == 2, "a hold is not an attempt")
        #expect(Set(receiver.deliveries.compactMap { $0.deliveryId.flatMap { Int64($0) } }).isSubset(of: Set(staff)))
        #expect(pipeline.stopAll().isEmpty, "the notifier exits 0 on SIGTERM:\n\(pipeline.logsSummary())")
    }
}
