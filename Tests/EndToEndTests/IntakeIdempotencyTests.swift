import FeedloopTestSupport
import Foundation
import Testing

/// Retries in parallel over real HTTP: whatever the interleaving, one ticket per item, and
/// every answer names it.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct IntakeIdempotencyTests {
    static let retries = 50

    /// Sends `body` `retries` times at once; returns each answer's status and ticket id.
    static func retry(_ pipeline: Pipeline, path: String = "/v1/feedback", body: Data, headers: [String: String] = [:]) async throws -> [(Int, Int64)] {
        try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for _ in 0..<Self.retries {
                group.addTask {
                    let answer = try await pipeline.send(
                        "POST", port: pipeline.producerPort, path: path, body: body,
                        headers: ["Content-Type": "application/json", "Authorization": "Bearer \(pipeline.apiKey)"].merging(headers) { $1 })
                    let json = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
                    let id = (json?["ticket_id"] as? NSNumber)?.int64Value ?? -1
                    return (answer.status, id)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func parallelRetriesMakeOneTicket() async throws {
        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        try pipeline.start("feedloop-producer")
        try await pipeline.waitUntilHealthy(port: pipeline.producerPort)
        let db = pipeline.database

        // The channel's own id.
        let byExternalId = try await Self.retry(
            pipeline,
            body: Data(#"{"channel": "hotline", "external_id": "call-77", "text": "电话一直占线", "customer": {"ref": "C-1", "phone": "13812341234"}}"#.utf8))
        #expect(byExternalId.filter { $0.0 == 201 }.count == 1)
        #expect(byExternalId.filter { $0.0 == 200 }.count == Self.retries - 1)
        #expect(Set(byExternalId.map(\.1)).count == 1)

        // The Idempotency-Key header, for an item without external_id.
        let byKey = try await Self.retry(
            pipeline, body: Data(#"{"channel": "store", "text": "店员态度很好"}"#.utf8), headers: ["Idempotency-Key": "req-6f1c2a"])
        #expect(byKey.filter { $0.0 == 201 }.count == 1)
        #expect(byKey.filter { $0.0 == 200 }.count == Self.retries - 1)
        #expect(Set(byKey.map(\.1)).count == 1)
        #expect(byKey[0].1 != byExternalId[0].1)

        #expect(try db.scalar(Int.self, "SELECT count(*) FROM tickets") == 2)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM ticket_transitions") == 2)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM customers") == 1)
        #expect(try db.scalar(String.self, "SELECT idempotency_key FROM tickets WHERE id = $1", [.int(byKey[0].1)]) == "req-6f1c2a")
        #expect(try db.scalar(Int64.self, "SELECT customer_id FROM tickets WHERE id = $1", [.int(byExternalId[0].1)]) > 0)

        // The same key on another channel is another item; without the key, every post is new.
        let otherChannel = try await pipeline.send(
            "POST", port: pipeline.producerPort, path: "/v1/feedback", body: Data(#"{"channel": "chat", "text": "店员态度很好"}"#.utf8),
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(pipeline.apiKey)", "Idempotency-Key": "req-6f1c2a"])
        #expect(otherChannel.status == 201)

        // A batch retried in parallel with one key: each item keeps its first ticket.
        let batch = Data(
            #"{"items": [{"channel": "email", "text": "first"}, {"channel": "email", "external_id": "m-9", "text": "second"}, {"channel": "email", "text": "third"}]}"#
                .utf8)
        let batches = try await withThrowingTaskGroup(of: (Int, [Int64]).self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let answer = try await pipeline.send(
                        "POST", port: pipeline.producerPort, path: "/v1/feedback:batch", body: batch,
                        headers: ["Content-Type": "application/json", "Authorization": "Bearer \(pipeline.apiKey)", "Idempotency-Key": "batch-1"])
                    let json = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
                    let items = json?["items"] as? [[String: Any]] ?? []
                    return (answer.status, items.compactMap { ($0["ticket_id"] as? NSNumber)?.int64Value })
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(batches.allSatisfy { $0.0 == 200 || $0.0 == 201 }, "\(batches)")
        #expect(batches.filter { $0.0 == 201 }.count == 1)
        #expect(Set(batches.map(\.1)).count == 1)
        #expect(Set(batches[0].1).count == 3)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM tickets") == 6)
        #expect(pipeline.stopAll().isEmpty, "\(pipeline.logsSummary())")
    }
}
