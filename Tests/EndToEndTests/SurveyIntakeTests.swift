import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Survey answers over real HTTP into a real database: implausible answers are kept with their
/// flags, repeats are decided correctly under concurrency, retries are idempotent, and every
/// refusal leaves no row and no event.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct SurveyIntakeTests {
    static let path = "/v1/surveys/resolution_followup/responses"

    /// A producer on a scratch database, a ticket to follow up, and a queue that catches every
    /// survey.answered event (no worker binds it yet).
    struct Fixture {
        let pipeline: Pipeline
        let ticketId: Int64

        init() async throws {
            pipeline = try Pipeline()
            try pipeline.start("feedloop-producer")
            try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
            let connection = try AMQPConnection(
                url: pipeline.vhost.amqpURL(), heartbeat: 0, connectionName: "feedloop-tests", logger: TestServers.logger)
            defer { connection.close() }
            _ = try connection.declareQueue("test.survey_answered")
            try connection.bindQueue("test.survey_answered", exchange: Topology.eventsExchange, routingKey: "survey.answered")
            let created = try await pipeline.post(
                port: pipeline.producerPort, path: "/v1/feedback", json: Data(#"{"channel": "hotline", "text": "宽带断了三天"}"#.utf8))
            let json = try JSONSerialization.jsonObject(with: created.body) as? [String: Any]
            ticketId = try #require((json?["ticket_id"] as? NSNumber)?.int64Value, "\(String(decoding: created.body, as: UTF8.self))")
        }

        func events() throws -> Int { try pipeline.readyMessages(in: "test.survey_answered") }
        func rows() throws -> Int { try pipeline.database.scalar(Int.self, "SELECT count(*) FROM survey_responses") }
    }

    static func answer(
        ticket: Int64?, respondent: String = "C-1001", seconds: Double = 90, scores: [Int] = [4, 5, 4, 3], overall: Int = 4, nps: Int? = 8,
        responseId: String? = nil
    ) -> Data {
        let submitted = Date()
        var object: [String: Any] = [
            "respondent": respondent,
            "started_at": FeedloopJSON.formatTimestamp(submitted.addingTimeInterval(-seconds)),
            "submitted_at": FeedloopJSON.formatTimestamp(submitted),
            "scores": Dictionary(uniqueKeysWithValues: zip(["response_speed", "attitude", "professionalism", "solution_quality"], scores)),
            "overall": overall, "comment": "师傅很耐心",
        ]
        if let ticket { object["ticket_id"] = ticket }
        if let nps { object["nps"] = nps }
        if let responseId { object["response_id"] = responseId }
        return try! JSONSerialization.data(withJSONObject: object)
    }

    static func decode(_ body: Data) -> (valid: Bool?, flags: [String], responseId: String?) {
        let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        let flags = (json?["flags"] as? [[String: Any]] ?? []).compactMap { $0["flag"] as? String }
        return (json?["valid"] as? Bool, flags, json?["response_id"] as? String)
    }

    @Test func flaggedAnswersAreKeptWithTheirReasons() async throws {
        let f = try await Fixture()
        defer { f.pipeline.tearDown() }
        let port = f.pipeline.producerPort

        let valid = try await f.pipeline.post(port: port, path: Self.path, json: Self.answer(ticket: f.ticketId, responseId: "r-ok"))
        #expect(valid.status == 201, "\(String(decoding: valid.body, as: UTF8.self))")
        #expect(Self.decode(valid.body).valid == true)
        #expect(Self.decode(valid.body).flags == [])

        // Another respondent, too fast, straight-lining, and NPS 10 with overall 1.
        let bad = try await f.pipeline.post(
            port: port, path: Self.path,
            json: Self.answer(ticket: f.ticketId, respondent: "C-2002", seconds: 29, scores: [1, 1, 1, 1], overall: 1, nps: 10))
        #expect(bad.status == 201)
        let decoded = Self.decode(bad.body)
        #expect(decoded.valid == false)
        #expect(decoded.flags == ["too_fast", "straight_lining", "contradictory"])
        let id = try #require(decoded.responseId)
        let db = f.pipeline.database
        #expect(try db.scalar(Bool.self, "SELECT valid FROM survey_responses WHERE response_id = $1", [.text(id)]) == false)
        #expect(
            try db.scalar(String.self, "SELECT array_to_string(flags, ',') FROM survey_responses WHERE response_id = $1", [.text(id)])
                == "too_fast,straight_lining,contradictory")
        #expect(
            try db.scalar(String.self, "SELECT flag_reasons->2->>'reason' FROM survey_responses WHERE response_id = $1", [.text(id)])
                .hasPrefix("rule promoter_but_dissatisfied:"))
        #expect(try db.scalar(Int64.self, "SELECT ticket_id FROM survey_responses WHERE response_id = $1", [.text(id)]) == f.ticketId)

        // A retry of the first answer returns it and stores nothing new.
        let retry = try await f.pipeline.post(port: port, path: Self.path, json: Self.answer(ticket: f.ticketId, responseId: "r-ok"))
        #expect(retry.status == 200)
        #expect(Self.decode(retry.body).responseId == "r-ok")
        #expect(Self.decode(retry.body).valid == true)
        #expect(try f.rows() == 2)
        // Statistics read only valid rows.
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM survey_responses WHERE valid") == 1)

        // One event per stored answer, published from the outbox.
        #expect(try await eventually(timeout: .seconds(15)) { try f.events() == 2 })
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(f.pipeline.stopAll().isEmpty, "\(f.pipeline.logsSummary())")
        let log = f.pipeline.workers.map(\.log).joined()
        #expect(!log.contains("C-2002") && !log.contains("师傅很耐心"), "no respondent or comment in the log")
    }

    /// 20 connections at once (URLSession.shared would queue requests beyond a few per host).
    static let parallelSession: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 20
        return URLSession(configuration: configuration)
    }()

    static func postInParallel(_ f: Fixture, _ body: Data) async throws -> (status: Int, valid: Bool?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(f.pipeline.producerPort)\(Self.path)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(f.pipeline.apiKey)", forHTTPHeaderField: "Authorization")
        request.httpBody = body
        let (data, response) = try await Self.parallelSession.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, Self.decode(data).valid)
    }

    @Test func concurrentAnswersOfOneRespondentMakeExactlyOneValid() async throws {
        let f = try await Fixture()
        defer { f.pipeline.tearDown() }
        // Five respondents, each sending 20 answers at once, all 100 in flight together.
        let respondents = (1...5).map { "C-\($0)" }
        let outcomes = try await withThrowingTaskGroup(of: (String, Int, Bool?).self) { group in
            for respondent in respondents {
                for _ in 0..<20 {
                    group.addTask {
                        let r = try await Self.postInParallel(f, Self.answer(ticket: f.ticketId, respondent: respondent))
                        return (respondent, r.status, r.valid)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0.1 == 201 }, "\(outcomes)")
        let db = f.pipeline.database
        #expect(try f.rows() == 100)
        for respondent in respondents {
            #expect(outcomes.filter { $0.0 == respondent && $0.2 == true }.count == 1, "\(respondent)")
            let valid = try db.scalar(Int.self, "SELECT count(*) FROM survey_responses WHERE valid AND respondent = $1", [.text(respondent)])
            #expect(valid == 1, "\(respondent)")
            let repeats = try db.scalar(Int.self, "SELECT count(*) FROM survey_responses WHERE flags = '{repeat}' AND respondent = $1", [.text(respondent)])
            #expect(repeats == 19, "\(respondent)")
            // The valid one is the first stored.
            #expect(try db.scalar(Bool.self, "SELECT valid FROM survey_responses WHERE respondent = $1 ORDER BY id LIMIT 1", [.text(respondent)]))
        }
        #expect(f.pipeline.stopAll().isEmpty, "\(f.pipeline.logsSummary())")
    }

    @Test func everyRefusalStoresAndPublishesNothing() async throws {
        let f = try await Fixture()
        defer { f.pipeline.tearDown() }
        let key = "Bearer \(f.pipeline.apiKey)"
        let agent = try Pipeline.createKey(in: f.pipeline.database, name: "agent", role: .agent)
        let json = ["Content-Type": "application/json", "Authorization": key]
        let good = Self.answer(ticket: f.ticketId)
        let badScore = String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""attitude":5"#, with: #""attitude":7"#)
        #expect(badScore != String(decoding: good, as: UTF8.self))
        let cases: [(what: String, path: String, body: Data, headers: [String: String], status: Int, field: String?)] = [
            ("unknown survey", "/v1/surveys/nope/responses", good, json, 404, nil),
            ("score out of range", Self.path, Data(badScore.utf8), json, 400, "scores.attitude"),
            ("no ticket", Self.path, Self.answer(ticket: nil), json, 400, "ticket_id"),
            ("unknown ticket", Self.path, Self.answer(ticket: f.ticketId + 1000), json, 422, "ticket_id"),
            ("text/plain", Self.path, good, ["Content-Type": "text/plain", "Authorization": key], 415, nil),
            ("65 KiB", Self.path, Data(#"{"comment": "\#(String(repeating: "a", count: 66_000))"}"#.utf8), json, 413, nil),
            ("no key", Self.path, good, ["Content-Type": "application/json"], 401, nil),
            ("agent role", Self.path, good, ["Content-Type": "application/json", "Authorization": "Bearer \(agent)"], 403, nil),
        ]
        for c in cases {
            let answer = try await f.pipeline.send("POST", port: f.pipeline.producerPort, path: c.path, body: c.body, headers: c.headers)
            #expect(answer.status == c.status, "\(c.what): \(String(decoding: answer.body, as: UTF8.self))")
            if let field = c.field {
                let fields = (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["fields"] as? [[String: String]]
                #expect(fields?.map { $0["field"] } == [field], "\(c.what)")
            }
        }
        try await Task.sleep(for: .seconds(2))
        #expect(try f.rows() == 0)
        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(try f.events() == 0)

        // The same counts move for an accepted answer, so the checks above can fail.
        let accepted = try await f.pipeline.post(port: f.pipeline.producerPort, path: Self.path, json: good)
        #expect(accepted.status == 201)
        #expect(try f.rows() == 1)
        #expect(try await eventually(timeout: .seconds(15)) { try f.events() == 1 })
        #expect(f.pipeline.stopAll().isEmpty, "\(f.pipeline.logsSummary())")
    }
}
