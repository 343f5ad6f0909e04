import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing
import Yams

/// Every way the producer refuses a request leaves nothing behind: no ticket, no customer, no
/// outbox row, no message for the classifier. And the API document it serves describes every
/// route it registers.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct IntakeRejectionTests {
    /// What a refused request must not have changed.
    static func leftovers(_ pipeline: Pipeline) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["tickets", "customers", "outbox", "ticket_transitions"] {
            counts[table] = try pipeline.database.scalar(Int.self, "SELECT count(*) FROM \(table)")
        }
        counts["feedloop.classifier messages"] = try pipeline.readyMessages(in: "feedloop.classifier")
        return counts
    }

    @Test func everyRejectionStoresAndPublishesNothing() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_INTAKE_MAX_BATCH": "3"])
        defer { pipeline.tearDown() }
        let agent = try Pipeline.createKey(in: pipeline.database, name: "agent", role: .agent)
        try pipeline.start("feedloop-producer")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)

        let key = "Bearer \(pipeline.apiKey)"
        let valid = #"{"channel": "chat", "external_id": "x-1", "text": "好", "customer": {"ref": "C-1", "name": "张三", "phone": "13812341234"}}"#
        let item = { (i: Int) in #"{"channel": "chat", "external_id": "b-\#(i)", "text": "item \#(i)", "customer": {"ref": "C-\#(i)"}}"# }
        let cases: [(what: String, path: String, body: String, headers: [String: String], status: Int)] = [
            ("no key", "/v1/feedback", valid, ["Content-Type": "application/json"], 401),
            ("wrong role", "/v1/feedback", valid, ["Content-Type": "application/json", "Authorization": "Bearer \(agent)"], 403),
            ("no key, batch", "/v1/feedback:batch", #"{"items": [\#(valid)]}"#, ["Content-Type": "application/json"], 401),
            ("text/plain", "/v1/feedback", valid, ["Content-Type": "text/plain", "Authorization": key], 415),
            ("latin-1", "/v1/feedback", valid, ["Content-Type": "application/json; charset=iso-8859-1", "Authorization": key], 415),
            ("no content type", "/v1/feedback:batch", #"{"items": [\#(valid)]}"#, ["Authorization": key], 415),
            (
                "65 KiB", "/v1/feedback", #"{"channel": "chat", "text": "\#(String(repeating: "a", count: 66_000))"}"#,
                ["Content-Type": "application/json", "Authorization": key], 413
            ),
            (
                "4 items over a limit of 3", "/v1/feedback:batch", #"{"items": [\#((0..<4).map(item).joined(separator: ","))]}"#,
                ["Content-Type": "application/json", "Authorization": key], 413
            ),
            (
                "bad phone", "/v1/feedback", #"{"channel": "chat", "text": "好", "customer": {"ref": "C-1", "phone": "call me"}}"#,
                ["Content-Type": "application/json", "Authorization": key], 400
            ),
            ("bad idempotency key", "/v1/feedback", valid, ["Content-Type": "application/json", "Authorization": key, "Idempotency-Key": "a b"], 400),
            (
                "batch with one bad item", "/v1/feedback:batch", #"{"items": [\#(item(0)), \#(item(1)), {"channel": "chat", "text": " "}]}"#,
                ["Content-Type": "application/json", "Authorization": key], 400
            ),
        ]
        for c in cases {
            let answer = try await pipeline.send("POST", port: pipeline.producerPort, path: c.path, body: Data(c.body.utf8), headers: c.headers)
            #expect(answer.status == c.status, "\(c.what): \(String(decoding: answer.body, as: UTF8.self))")
            let json = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
            #expect(json?["error"] is String, "\(c.what): an error body")
        }
        let badBatch = try await pipeline.send(
            "POST", port: pipeline.producerPort, path: "/v1/feedback:batch", body: Data(cases.last!.body.utf8), headers: cases.last!.headers)
        let fields = ((try JSONSerialization.jsonObject(with: badBatch.body) as? [String: Any])?["fields"] as? [[String: String]]) ?? []
        #expect(fields == [["field": "items[2].text", "reason": "must not be empty"]])

        // Give a relay that wrongly published something the time to do it, then count.
        try await Task.sleep(for: .seconds(2))
        let zero = ["tickets": 0, "customers": 0, "outbox": 0, "ticket_transitions": 0, "feedloop.classifier messages": 0]
        #expect(try Self.leftovers(pipeline) == zero)

        // The same counts do move for an accepted batch, so the checks above can fail.
        let accepted = try await pipeline.send(
            "POST", port: pipeline.producerPort, path: "/v1/feedback:batch", body: Data(#"{"items": [\#(item(0)), \#(item(1)), \#(valid)]}"#.utf8),
            headers: ["Content-Type": "application/json; charset=utf-8", "Authorization": key])
        #expect(accepted.status == 201)
        let published = try await eventually(timeout: .seconds(15)) { try pipeline.readyMessages(in: "feedloop.classifier") == 3 }
        #expect(published)
        // C-0, and C-1 named twice in the batch: one row each, the later item's contact details kept.
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM customers") == 2)
        // Contact details are stored for notifications and shown masked.
        #expect(try pipeline.database.scalar(String.self, "SELECT phone FROM customers WHERE external_ref = 'C-1'") == "13812341234")
        let ticketId = try pipeline.database.scalar(Int64.self, "SELECT id FROM tickets WHERE external_id = 'x-1'")
        let view = try await pipeline.get(port: pipeline.producerPort, path: "/v1/tickets/\(ticketId)")
        let customer = (try JSONSerialization.jsonObject(with: view.body) as? [String: Any])?["customer"] as? [String: Any]
        #expect(customer?["name"] as? String == "张*")
        #expect(customer?["phone"] as? String == "138****1234")
        #expect(customer?["ref"] as? String == "C-1")

        #expect(pipeline.stopAll().isEmpty, "\(pipeline.logsSummary())")
        let log = pipeline.workers.map(\.log).joined()
        #expect(!log.contains("13812341234") && !log.contains("张三"), "no customer data in the log")
    }

    @Test func theServedDocumentDescribesEveryRegisteredRoute() async throws {
        let documentURL = TestServers.repositoryRoot.appendingPathComponent("docs/openapi.yaml")
        let document = try String(contentsOf: documentURL, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: document) as? [String: Any])
        #expect(root["openapi"] as? String == "3.1.0")
        let paths = try #require(root["paths"] as? [String: Any])

        // The routes as the producer's own router lists them.
        let executable = WorkerProcess.binDirectory.appendingPathComponent("feedloop-producer").path
        let listed = try ProcessRunner.run(executable, ["routes"])
        #expect(listed.status == 0)
        let routes = listed.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(routes.count >= 6, "\(listed.output)")
        for route in routes where route.count == 2 {
            let operations = paths[route[1]] as? [String: Any]
            #expect(operations?[route[0].lowercased()] != nil, "\(route[0]) \(route[1]) is not in docs/openapi.yaml")
        }
        // Every documented operation names its answers; protected ones answer 401.
        for (path, value) in paths {
            for (method, operation) in value as? [String: Any] ?? [:] {
                let op = operation as? [String: Any]
                #expect(op?["responses"] != nil, "\(method) \(path)")
                let open = (op?["security"] as? [Any])?.isEmpty == true
                #expect(open || (op?["responses"] as? [String: Any])?["401"] != nil, "\(method) \(path) documents 401")
            }
        }

        // The running producer serves exactly this document, without a key.
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        try pipeline.start("feedloop-producer")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        let served = try await pipeline.send("GET", port: pipeline.producerPort, path: "/v1/openapi.yaml")
        #expect(served.status == 200)
        #expect(served.headers["content-type"]?.hasPrefix("application/yaml") == true)
        #expect(
            String(decoding: served.body, as: UTF8.self) == document,
            "GET /v1/openapi.yaml differs from docs/openapi.yaml: run ops/embed-openapi")
        #expect(pipeline.stopAll().isEmpty)
    }
}
