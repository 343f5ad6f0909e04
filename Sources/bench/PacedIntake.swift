import ArgumentParser
import AsyncHTTPClient
import FeedloopCore
import FeedloopRuntime
import Foundation
import NIOCore

/// Offers feedback to the producer at a fixed rate (open loop: request k is due at
/// `k × batch / rate` seconds, however long earlier requests took), with at most `concurrency`
/// requests in flight; with rate 0 it sends as fast as the lanes go. Single items go to
/// `POST /v1/feedback`, larger batches to `POST /v1/feedback:batch`.
struct PacedIntake: Sendable {
    var producerURL: String
    var authorization: String
    /// Items per second offered; 0 for as fast as possible.
    var rate: Int
    var duration: Duration
    /// Items per request.
    var batch: Int
    var concurrency: Int
    /// Distinguishes this run's external ids from any earlier run's.
    var run: String
    /// Feedback texts, each already a JSON string literal; item i uses text i modulo the count.
    var texts: [String]

    /// What the producer accepted, and how far the sender fell behind its schedule.
    struct Outcome: Sendable {
        var accepted: Int
        var requests: Int
        var elapsed: Duration
        /// Largest delay of a request past its due time: large means the offered rate was not
        /// actually offered (lanes all busy), so the run measured less than asked.
        var worstLag: Duration
    }

    private final class Schedule: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        var accepted = 0
        var requests = 0
        var worstLag: Duration = .zero

        func take() -> Int {
            lock.lock()
            defer { lock.unlock() }
            next += 1
            return next - 1
        }

        func record(items: Int, lag: Duration) {
            lock.lock()
            accepted += items
            requests += 1
            worstLag = max(worstLag, lag)
            lock.unlock()
        }
    }

    func run(client: HTTPClient) async throws -> Outcome {
        let schedule = Schedule()
        let start = ContinuousClock.now
        let end = start + duration
        let totalRequests = rate > 0 ? Int((Double(rate) * duration.seconds / Double(batch)).rounded(.up)) : Int.max
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let k = schedule.take()
                        guard k < totalRequests else { return }
                        var due = start
                        if rate > 0 {
                            due = start + .seconds(Double(k * batch) / Double(rate))
                            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                        } else if ContinuousClock.now >= end {
                            return
                        }
                        let lag = rate > 0 ? ContinuousClock.now - due : .zero
                        try await post(client, request: k)
                        schedule.record(items: batch, lag: lag)
                    }
                }
            }
            try await group.waitForAll()
        }
        return Outcome(accepted: schedule.accepted, requests: schedule.requests, elapsed: ContinuousClock.now - start, worstLag: schedule.worstLag)
    }

    private static let channels = ["chat", "email", "hotline", "social", "store"]

    private func item(_ index: Int) -> String {
        #"{"channel":"\#(Self.channels[index % Self.channels.count])","external_id":"bench-\#(run)-\#(index)","text":\#(texts[index % texts.count])}"#
    }

    /// Texts from JSON-lines files with a `text` field (such as the labeled datasets), or, with
    /// no files, ``GeneratedFeedback``'s phrases each made distinct by a counter (repeated phrases
    /// would all fall into a few giant incident clusters, which is another benchmark).
    static func texts(files: [String]) throws -> [String] {
        var plain: [String] = []
        for file in files {
            let content = try String(contentsOfFile: file, encoding: .utf8)
            for (n, line) in content.split(separator: "\n").enumerated() where !line.isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw ValidationError("\(file):\(n + 1): not a JSON object")
                }
                guard let text = object["text"] as? String else { throw ValidationError("\(file):\(n + 1): text: is required") }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty && trimmed.count <= FeedbackSubmission.maxTextLength { plain.append(trimmed) }
            }
        }
        if files.isEmpty {
            let phrases = GeneratedFeedback.examples(count: 108).map(\.text)
            let words = ["订单", "order", "第二次", "again", "昨天", "yesterday", "门店", "store", "App", "电话", "refund", "退款", "客服", "agent"]
            plain = (0..<20_000).map { i in
                "\(phrases[i % phrases.count]) \(words[i % words.count]) \(words[(i / 7) % words.count]) \(i * 7919 % 100_003)"
            }
        }
        guard !plain.isEmpty else { throw ValidationError("no texts in \(files.joined(separator: ", "))") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try plain.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }

    private func post(_ client: HTTPClient, request k: Int) async throws {
        let first = k * batch
        let body: String
        let path: String
        if batch == 1 {
            body = item(first)
            path = "/v1/feedback"
        } else {
            body = #"{"items":["# + (first..<first + batch).map(item).joined(separator: ",") + "]}"
            path = "/v1/feedback:batch"
        }
        var request = HTTPClientRequest(url: producerURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let answer = try await response.body.collect(upTo: 16 << 20)
        guard response.status.code == 201 else {
            throw ValidationError("producer answered \(response.status.code) to request \(k): \(String(buffer: answer).prefix(300))")
        }
    }
}
