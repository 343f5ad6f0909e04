import ArgumentParser
import AsyncHTTPClient
import FeedloopRuntime
import Foundation
import NIOCore
import Postgres

/// Pushes items through the running pipeline over HTTP and reads, from the database, when each
/// ticket was taken in and when it became `open`.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "End-to-end items/s and intake-to-open latency through running workers.",
        discussion: """
            Needs a running producer and workers on an empty database (ops/bench sets that up), and FEEDLOOP_DATABASE_URL for reading the results. The benchmark creates an intake API key for itself in that database (as `feedloopctl keys create` would) and revokes it at the end.

            Example: feedloop-bench pipeline --producer-url http://127.0.0.1:8080 --items 20000
            """
    )

    @Option(help: "The producer's base URL.") var producerURL = "http://127.0.0.1:8080"
    @Option(help: "Items to send.") var items = 20_000
    @Option(help: "HTTP requests in flight.") var concurrency = 32
    @Option(help: "Seconds to wait for every ticket to be open.") var timeout = 600
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let before = try db.query("SELECT count(*) FROM tickets")[0].decode(Int.self, at: 0)
        guard before == 0 else { throw ValidationError("the database already holds \(before) tickets; benchmark an empty one") }

        let (key, record) = try APIKeyStore.create(name: "feedloop-bench pipeline", role: .intake, in: db)
        defer { _ = try? APIKeyStore.revoke(record.prefix, in: db) }
        let authorization = "Bearer \(key.text)"

        let run = UUID().uuidString.prefix(8)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let start = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        var i = lane
                        while i < items {
                            try await post(client, index: i, run: String(run), authorization: authorization)
                            i += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let intake = ContinuousClock.now - start

        let deadline = ContinuousClock.now + .seconds(timeout)
        var open = 0
        while open < items {
            open = try db.query("SELECT count(*) FROM tickets WHERE state = 'open'")[0].decode(Int.self, at: 0)
            if ContinuousClock.now > deadline { throw ValidationError("only \(open) of \(items) tickets open after \(timeout) s") }
            if open < items { try await Task.sleep(for: .milliseconds(200)) }
        }
        let row = try db.query(
            """
            SELECT extract(epoch FROM max(classified_at) - min(created_at))::float8,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - created_at))::float8,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM classified_at - created_at))::float8,
                   extract(epoch FROM max(classified_at - created_at))::float8
            FROM tickets
            """
        )[0]
        let span = try row.decode(Double.self, at: 0)
        let p50 = try row.decode(Double.self, at: 1) * 1000
        let p99 = try row.decode(Double.self, at: 2) * 1000
        let worst = try row.decode(Double.self, at: 3) * 1000
        let rate = Double(items) / span
        let intakeRate = Double(items) / intake.seconds
        if json {
            print(
                #"{"items":\#(items),"items_per_s":\#(Int(rate)),"intake_per_s":\#(Int(intakeRate)),"p50_ms":\#(Int(p50)),"p99_ms":\#(Int(p99)),"max_ms":\#(Int(worst))}"#
            )
        } else {
            print("pipeline: \(items) items over HTTP, \(concurrency) in flight")
            print("  intake     \(Int(intakeRate)) items/s accepted by the producer")
            print("  end to end \(Int(rate)) items/s from first intake to last ticket open (\(String(format: "%.2f", span)) s)")
            print("  intake to open: p50 \(Int(p50)) ms, p99 \(Int(p99)) ms, max \(Int(worst)) ms")
        }
    }

    private func post(_ client: HTTPClient, index: Int, run: String, authorization: String) async throws {
        let texts = ["屏幕碎了，客服也不回复", "The parcel arrived late and damaged", "价格太贵了", "Please add a dark mode"]
        let channels = ["chat", "email", "hotline", "social"]
        let body = #"{"channel":"\#(channels[index % 4])","external_id":"bench-\#(run)-\#(index)","text":"\#(texts[index % 4]) \#(index)"}"#
        var request = HTTPClientRequest(url: producerURL + "/v1/feedback")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        guard response.status.code == 201 else {
            throw ValidationError("producer answered \(response.status.code) to item \(index)")
        }
        _ = try await response.body.collect(upTo: 1 << 16)
    }
}
