import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// API keys and roles over real HTTP: a producer process on a scratch database and vhost.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct IntakeAuthenticationTests {
    static let item = Data(#"{"channel": "chat", "external_id": "auth-1", "text": "快递还没到"}"#.utf8)

    static func post(_ pipeline: Pipeline, headers: [String: String], path: String = "/v1/feedback", body: Data = item) async throws -> (
        status: Int, body: Data, headers: [String: String]
    ) {
        try await pipeline.send(
            "POST", port: pipeline.producerPort, path: path, body: body, headers: ["Content-Type": "application/json"].merging(headers) { $1 })
    }

    static func error(_ body: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? String
    }

    @Test func keysAndRolesDecideWhoGetsIn() async throws {
        // A short cache so that the revocation below shows within a second or two.
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_API_KEY_CACHE_SECONDS": "1"])
        defer { pipeline.tearDown() }
        let intake = try Pipeline.createKey(in: pipeline.database, name: "chat integration", role: .intake)
        let agent = try Pipeline.createKey(in: pipeline.database, name: "agent console", role: .agent)
        try pipeline.start("feedloop-producer")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)

        // No key, a malformed one, and a well-formed one that was never created: 401 with the scheme.
        for (headers, reason) in [
            ([:], "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>"),
            (["Authorization": "Bearer not-a-key"], "malformed API key: expected fl_<prefix>_<secret>"),
            (["Authorization": "Basic Zm9vOmJhcg=="], "malformed API key: expected fl_<prefix>_<secret>"),
            (["Authorization": "Bearer fl_aaaaaaaa_" + String(repeating: "A", count: 32)], "unknown API key"),
        ] {
            let answer = try await Self.post(pipeline, headers: headers)
            #expect(answer.status == 401, "\(headers)")
            #expect(answer.headers["www-authenticate"] == #"Bearer realm="feedloop""#)
            #expect(Self.error(answer.body) == reason)
        }

        // The wrong role: 403, naming the roles that may.
        let forbidden = try await Self.post(pipeline, headers: ["Authorization": "Bearer \(agent)"])
        #expect(forbidden.status == 403)
        #expect(Self.error(forbidden.body) == "this key's role agent may not use this route; it needs intake or admin")

        // An intake key submits (Bearer), and X-API-Key works as well.
        let created = try await Self.post(pipeline, headers: ["Authorization": "bearer \(intake)"])
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let ticketId = try #require((try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["ticket_id"] as? Int)
        #expect(try await Self.post(pipeline, headers: ["X-API-Key": intake]).status == 200)

        // Any role reads tickets; without a key nobody does.
        let read = try await pipeline.send("GET", port: pipeline.producerPort, path: "/v1/tickets/\(ticketId)", headers: ["X-API-Key": agent])
        #expect(read.status == 200)
        #expect(try await pipeline.send("GET", port: pipeline.producerPort, path: "/v1/tickets/\(ticketId)").status == 401)

        // Open routes need no key.
        #expect(try await pipeline.send("GET", port: pipeline.producerPort, path: "/health").status == 200)
        #expect(try await pipeline.send("GET", port: pipeline.producerPort, path: "/v1/openapi.yaml").status == 200)

        // Revoked: refused once the cache entry expired, and the listing says when.
        let db = try pipeline.database.connect()
        defer { db.close() }
        let prefix = String(intake.split(separator: "_")[1])
        #expect(try APIKeyStore.revoke(prefix, in: db)?.prefix == prefix)
        let refused = try await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
            let answer = try await Self.post(pipeline, headers: ["Authorization": "Bearer \(intake)"])
            return answer.status == 401 && Self.error(answer.body) == "API key revoked"
        }
        #expect(refused)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM api_keys WHERE last_used_at IS NOT NULL") == 2)
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL") == 1)

        // Keys are logged by prefix at most: neither a secret nor a whole key reaches the log.
        #expect(pipeline.stopAll().isEmpty)
        let log = pipeline.workers.map(\.log).joined()
        for key in [intake, agent] {
            #expect(!log.contains(String(key.split(separator: "_")[2])))
        }
    }
}
