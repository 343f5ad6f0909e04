import AMQP
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// Staff actions over real HTTP and through `feedloopctl ticket`: the lifecycle decides, a
/// refusal changes nothing, and every applied action is recorded and published.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct TicketActionTests {
    static func json(_ body: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    /// An `open` ticket straight in the database: these tests are about what staff do next.
    static func openTicket(in pipeline: Pipeline) throws -> Int64 {
        try pipeline.database.scalar(
            Int64.self,
            """
            INSERT INTO tickets (channel, body, state, received_at, department, level, category)
            VALUES ('chat', '屏幕有坏点', 'open', now(), 'product_quality', 2, 'product') RETURNING id
            """)
    }

    static func act(_ pipeline: Pipeline, key: String, _ ticket: Int64, _ action: String, _ body: String = "{}") async throws -> (
        status: Int, json: [String: Any]
    ) {
        let answer = try await pipeline.send(
            "POST", port: pipeline.producerPort, path: "/v1/tickets/\(ticket)/\(action)", body: Data(body.utf8),
            headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/json"])
        return (answer.status, Self.json(answer.body))
    }

    @Test func theLifecycleDecidesAndEveryActionIsRecordedAndPublished() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let agent = try Pipeline.createKey(in: pipeline.database, name: "agent console", role: .agent)
        let intake = try Pipeline.createKey(in: pipeline.database, name: "chat", role: .intake)
        try pipeline.start("feedloop-producer")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        let ticket = try Self.openTicket(in: pipeline)
        let actions = { try pipeline.database.scalar(Int.self, "SELECT count(*) FROM ticket_actions WHERE ticket_id = $1", [.int(ticket)]) }

        // Refusals change nothing: wrong role, missing reply text, a forbidden move, no such ticket.
        #expect(try await Self.act(pipeline, key: intake, ticket, "respond", #"{"note": "hi"}"#).status == 403)
        let noNote = try await Self.act(pipeline, key: agent, ticket, "respond")
        #expect(noNote.status == 400)
        #expect((noNote.json["fields"] as? [[String: Any]])?.first?["field"] as? String == "note")
        let early = try await Self.act(pipeline, key: agent, ticket, "resolve")
        #expect(early.status == 409)
        #expect(early.json["code"] as? String == "not_allowed")
        #expect(early.json["state"] as? String == "open")
        #expect((early.json["error"] as? String)?.contains("acknowledge the customer or start work before resolving") == true)
        #expect(try await Self.act(pipeline, key: agent, 999_999, "close").status == 404)
        #expect(try await Self.act(pipeline, key: agent, ticket, "reopen").status == 409)
        #expect(try actions() == 0)

        // The main path, with a pause for the customer and a reopen.
        let steps: [(String, String, String)] = [
            ("respond", #"{"note": "我们正在处理", "assignee": "li.wei"}"#, "acknowledged"),
            ("respond", #"{"note": "还需要一点时间"}"#, "acknowledged"),
            ("wait-customer", "{}", "waiting_customer"),
            ("customer-reply", "{}", "in_progress"),
            ("plan", #"{"note": "更换屏幕"}"#, "in_progress"),
            ("resolve", #"{"note": "已更换"}"#, "resolved"),
            ("reopen", "{}", "reopened"),
            ("resolve", "{}", "resolved"),
            ("close", "{}", "closed"),
        ]
        for (action, body, state) in steps {
            let answer = try await Self.act(pipeline, key: agent, ticket, action, body)
            #expect(answer.status == 200, "\(action): \(answer.json)")
            #expect(answer.json["state"] as? String == state, "\(action)")
            #expect(answer.json["assignee"] as? String == "li.wei", "\(action) keeps the assignee")
        }
        let closed = try await Self.act(pipeline, key: agent, ticket, "close")
        #expect(closed.status == 409)
        #expect(closed.json["code"] as? String == "terminal_state")

        #expect(try actions() == steps.count)
        #expect(try pipeline.database.scalar(String.self, "SELECT state FROM tickets WHERE id = $1", [.int(ticket)]) == "closed")
        #expect(
            try pipeline.database.scalar(
                Int.self, "SELECT count(*) FROM ticket_actions WHERE ticket_id = $1 AND actor = 'key:agent console'", [.int(ticket)])
                == steps.count)
        // A second reply and the plan on an in-progress ticket change no state: 7 transitions for 9 actions.
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM ticket_transitions WHERE ticket_id = $1", [.int(ticket)]) == 7)

        // Every action's event reached the escalator's queue (no escalator runs here), once.
        let published = await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            (try? pipeline.readyMessages(in: "feedloop.escalator")) == steps.count
        }
        #expect(published, "escalator queue holds \((try? pipeline.readyMessages(in: "feedloop.escalator")) ?? -1)")
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(pipeline.stopAll().isEmpty)
    }

    @Test func feedloopctlAppliesTheSameRulesWithExitCodes() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let ticket = try Self.openTicket(in: pipeline)
        // The queues the workers would have declared, so the command's events have somewhere to go.
        let broker = try AMQPConnection(url: pipeline.vhost.amqpURL(), heartbeat: 0, connectionName: "feedloop-tests", logger: TestServers.logger)
        try Topology.declareAll(on: broker, deliveryLimit: 5, retryDelay: .seconds(1))
        broker.close()
        let env = ProcessInfo.processInfo.environment.merging([
            "FEEDLOOP_DATABASE_URL": pipeline.database.url, "FEEDLOOP_AMQP_URL": pipeline.vhost.url, "USER": "ops",
        ]) { _, new in new }
        let ctl = WorkerProcess.binDirectory.appendingPathComponent("feedloopctl").path
        func run(_ arguments: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run(ctl, ["ticket"] + arguments, environment: env)
        }

        let refused = try run(["resolve", String(ticket)])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("acknowledge the customer or start work before resolving"))
        #expect(try run(["close", "987654"]).status == 3)
        #expect(try run(["respond", String(ticket)]).status == 64, "a reply needs --note")

        let responded = try run(["respond", String(ticket), "--note", "We are on it", "--json"])
        #expect(responded.status == 0, "\(responded.output)")
        #expect(responded.output.contains(#""to_state" : "acknowledged""#))
        #expect(try run(["assign", String(ticket), "--assignee", "zhang.min"]).status == 0)
        #expect(try pipeline.database.scalar(String.self, "SELECT assignee FROM tickets WHERE id = $1", [.int(ticket)]) == "zhang.min")
        #expect(
            try pipeline.database.scalar(
                Int.self, "SELECT count(*) FROM ticket_actions WHERE ticket_id = $1 AND actor = 'feedloopctl:ops'", [.int(ticket)]) == 2)
        // Published by the command itself (no producer runs): the outbox is empty and the queue holds both.
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        #expect(try pipeline.readyMessages(in: "feedloop.escalator") == 2)
    }
}
