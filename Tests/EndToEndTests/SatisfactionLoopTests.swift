import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// The satisfaction loop (回访) with the producer and the notifier as processes: a resolved
/// ticket's customer gets a one-time rating link; a low score through it reopens the ticket and
/// tells the department head; forged, expired and used links are refused with nothing stored.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct SatisfactionLoopTests {
    /// Producer and notifier sharing the link secret, the links pointing at the producer.
    static func fixture() async throws -> NotificationContentTests.Fixture {
        let f = try NotificationContentTests.Fixture()
        try f.pipeline.start("feedloop-producer")
        try await f.pipeline.waitUntilHealthy(port: f.pipeline.producerPort)
        try await f.startNotifier(environment: ["FEEDLOOP_SURVEY_LINK_BASE_URL": "http://127.0.0.1:\(f.pipeline.producerPort)/v1/survey-links/"])
        return f
    }

    /// Resolves an in-progress ticket through the staff action store, as the producer's
    /// route would, and publishes its `ticket.resolved`.
    static func resolve(_ ticketId: Int64, _ f: NotificationContentTests.Fixture, db: PostgresConnection) throws {
        try db.query("UPDATE tickets SET state = 'in_progress' WHERE id = $1", [.int(ticketId)])
        let result = try db.transaction { tx in
            try TicketActionStore.apply(
                TicketActionRequest(ticketId: ticketId, action: .resolve, actor: "agent-1", note: "换了一副新耳机"), in: tx)
        }
        try f.publish([result.message])
    }

    /// The rating link in the customer's resolved message, once the notifier wrote it.
    static func link(for ticketId: Int64, _ f: NotificationContentTests.Fixture) async throws -> String {
        var body = ""
        let found = await eventually(timeout: .seconds(30)) {
            body =
                (try? f.pipeline.database.scalar(
                    String.self,
                    "SELECT coalesce(max(body), '') FROM notifications WHERE ticket_id = $1 AND event_type = 'ticket.resolved' AND audience = 'customer'",
                    [.int(ticketId)])) ?? ""
            return !body.isEmpty
        }
        #expect(found, "\(f.pipeline.logsSummary())")
        let prefix = "http://127.0.0.1:\(f.pipeline.producerPort)/v1/survey-links/"
        guard let start = body.range(of: prefix) else { throw LinkMissing(body: body) }
        let token = body[start.upperBound...].prefix { !$0.isWhitespace }
        return "/v1/survey-links/" + token
    }

    struct LinkMissing: Error, CustomStringConvertible {
        var body: String
        var description: String { "no survey link in: \(body)" }
    }

    static func answer(overall: Int, solution: Int) -> Data {
        let started = FeedloopJSON.formatTimestamp(Date().addingTimeInterval(-90))
        return Data(
            """
            {"started_at": "\(started)", "overall": \(overall), "nps": 3,
             "scores": {"response_speed": 2, "attitude": 3, "professionalism": 2, "solution_quality": \(solution)}}
            """.utf8)
    }

    static func post(_ f: NotificationContentTests.Fixture, _ path: String, _ body: Data) async throws -> (status: Int, body: String) {
        let answer = try await f.pipeline.send(
            "POST", port: f.pipeline.producerPort, path: path, body: body, headers: ["Content-Type": "application/json"])
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    @Test func aLowScoreThroughTheLinkReopensTheTicketAndTellsTheHead() async throws {
        let f = try await Self.fixture()
        defer { f.tearDown() }
        let db = try f.pipeline.database.connect()
        defer { db.close() }
        let ticket = try NotificationContentTests.openTickets(1, in: db, run: "s\(UInt32.random(in: 0...UInt32.max))")[0]
        try Self.resolve(ticket.id, f, db: db)
        let link = try await Self.link(for: ticket.id, f)
        #expect(try f.count("SELECT count(*) FROM survey_links WHERE ticket_id = $1 AND used_at IS NULL", [.int(ticket.id)]) == 1)

        // The link opens the questionnaire without an API key.
        let shown = try await f.pipeline.send("GET", port: f.pipeline.producerPort, path: link)
        #expect(shown.status == 200, "\(String(decoding: shown.body, as: UTF8.self))")
        let survey = try JSONSerialization.jsonObject(with: shown.body) as? [String: Any]
        #expect(survey?["survey_id"] as? String == "resolution_followup")
        #expect((survey?["ticket_id"] as? NSNumber)?.int64Value == ticket.id)

        // The link sets respondent and ticket: a body naming them is refused, nothing stored.
        let meddling = try await Self.post(f, link + "/responses", Data(#"{"ticket_id": 1, "overall": 1}"#.utf8))
        #expect(meddling.status == 400 && meddling.body.contains("is set by the survey link"), "\(meddling)")

        let stored = try await Self.post(f, link + "/responses", Self.answer(overall: 1, solution: 1))
        #expect(stored.status == 201, "\(stored)")
        #expect(stored.body.contains(#""valid":true"#), "\(stored)")
        #expect(
            try f.count("SELECT count(*) FROM survey_links WHERE ticket_id = $1 AND used_at IS NOT NULL AND response_id IS NOT NULL", [.int(ticket.id)]) == 1)

        // The loop: reopened by `survey`, and the head (li.na: email and SMS) is told.
        let reopened = await eventually(timeout: .seconds(30)) {
            ((try? f.count("SELECT count(*) FROM tickets WHERE id = $1 AND state = 'reopened'", [.int(ticket.id)])) ?? 0) == 1
        }
        #expect(reopened, "\(f.pipeline.logsSummary())")
        #expect(
            try f.count(
                "SELECT count(*) FROM ticket_actions WHERE ticket_id = $1 AND action = 'reopen' AND actor = 'survey' AND to_state = 'reopened'",
                [.int(ticket.id)])
                == 1)
        let headTold = await eventually(timeout: .seconds(30)) {
            ((try? f.count(
                "SELECT count(*) FROM notifications WHERE ticket_id = $1 AND event_type = 'survey.answered' AND audience = 'department_head' AND recipient = 'li.na'",
                [.int(ticket.id)])) ?? 0) == 2
        }
        #expect(headTold)
        let headBody = try f.pipeline.database.scalar(
            String.self, "SELECT coalesce(max(body), '') FROM notifications WHERE ticket_id = $1 AND audience = 'department_head' AND channel = 'email'",
            [.int(ticket.id)])
        #expect(headBody.contains("总体评分 1/5") && headBody.contains("工单已自动重新打开"), "\(headBody)")
        #expect(!headBody.contains("张三"), "the head sees the customer masked: \(headBody)")
        // The reopen event reaches the notifier too: the assignee (here the team lead) hears of it.
        let assigneeTold = await eventually(timeout: .seconds(30)) {
            ((try? f.count("SELECT count(*) FROM notifications WHERE ticket_id = $1 AND event_type = 'ticket.reopened'", [.int(ticket.id)])) ?? 0) == 1
        }
        #expect(assigneeTold)

        // Used once: a second answer through the same link is refused and stores nothing.
        let again = try await Self.post(f, link + "/responses", Self.answer(overall: 5, solution: 5))
        #expect(again.status == 409, "\(again)")
        #expect(try await f.pipeline.send("GET", port: f.pipeline.producerPort, path: link).status == 409)
        #expect(try f.count("SELECT count(*) FROM survey_responses WHERE ticket_id = $1", [.int(ticket.id)]) == 1)
        _ = f.pipeline.stopAll()
    }

    @Test func forgedAndExpiredLinksAreRefusedAndStoreNothing() async throws {
        let f = try await Self.fixture()
        defer { f.tearDown() }
        let db = try f.pipeline.database.connect()
        defer { db.close() }
        let ticket = try NotificationContentTests.openTickets(1, in: db, run: "x\(UInt32.random(in: 0...UInt32.max))")[0]
        try Self.resolve(ticket.id, f, db: db)
        let link = try await Self.link(for: ticket.id, f)
        let token = String(link.dropFirst("/v1/survey-links/".count))

        // Forged: the payload of another ticket under this link's signature, a wrong secret, junk.
        let secret = SurveyLinkSecret(NotificationContentTests.secret)!
        let parts = token.split(separator: ".")
        let other = SurveyLinkToken(ticketId: ticket.id + 1, surveyId: "resolution_followup", expiresAt: Date().addingTimeInterval(3600), nonce: "n")
        let swapped = other.signed(with: secret).split(separator: ".")[0] + "." + parts[1]
        let wrongSecret = SurveyLinkToken(ticketId: ticket.id, surveyId: "resolution_followup", expiresAt: Date().addingTimeInterval(3600), nonce: "n")
            .signed(with: SurveyLinkSecret("a different secret of enough length")!)
        for forged in [String(swapped), wrongSecret, "junk", String(parts[0])] {
            #expect(try await f.pipeline.send("GET", port: f.pipeline.producerPort, path: "/v1/survey-links/\(forged)").status == 403, "\(forged)")
            let posted = try await Self.post(f, "/v1/survey-links/\(forged)/responses", Self.answer(overall: 1, solution: 1))
            #expect(posted.status == 403, "\(forged): \(posted)")
        }
        // Genuinely signed but never issued (no survey_links row): refused as forged.
        let unissued = SurveyLinkToken.issue(ticketId: ticket.id, surveyId: "resolution_followup", now: Date(), ttl: .seconds(3600)).signed(with: secret)
        #expect(try await Self.post(f, "/v1/survey-links/\(unissued)/responses", Self.answer(overall: 1, solution: 1)).status == 403)

        // Expired: issued and recorded, but its time is up.
        let expired = SurveyLinkToken.issue(ticketId: ticket.id, surveyId: "resolution_followup", now: Date().addingTimeInterval(-7200), ttl: .seconds(3600))
        try db.query(
            "INSERT INTO survey_links (token_id, ticket_id, survey_id, expires_at) VALUES ($1, $2, 'resolution_followup', $3)",
            [.text(expired.nonce), .int(ticket.id), .timestamp(expired.expiresAt)])
        let expiredPath = "/v1/survey-links/\(expired.signed(with: secret))"
        #expect(try await f.pipeline.send("GET", port: f.pipeline.producerPort, path: expiredPath).status == 410)
        let late = try await Self.post(f, expiredPath + "/responses", Self.answer(overall: 1, solution: 1))
        #expect(late.status == 410 && late.body.contains("expired"), "\(late)")

        #expect(try f.count("SELECT count(*) FROM survey_responses") == 0)
        #expect(try f.count("SELECT count(*) FROM survey_links WHERE used_at IS NOT NULL") == 0)
        #expect(try f.count("SELECT count(*) FROM tickets WHERE id = $1 AND state = 'resolved'", [.int(ticket.id)]) == 1)
        // The genuine link still works after all that.
        #expect(try await f.pipeline.send("GET", port: f.pipeline.producerPort, path: link).status == 200)
        _ = f.pipeline.stopAll()
    }
}
