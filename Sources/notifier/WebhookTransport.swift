import AsyncHTTPClient
import FeedloopRuntime
import Foundation

/// Delivers notifications as JSON POSTs to one URL through the process's shared HTTP client.
/// Called from the worker's own thread, so it may block on the client's futures.
struct WebhookTransport: Sendable {
    let client: HTTPClient
    let url: String
    /// For the whole request, connecting included.
    let timeout: Duration

    /// Sends every row at once and waits for all answers, so a claim of many rows against a
    /// slow receiver costs one timeout, not one per row.
    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        // NIODeadline counts uptime nanoseconds like DispatchTime; this target does not import NIO itself.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout.wholeMilliseconds) * 1_000_000
        let started = rows.map { row in
            Result { client.execute(request: try request(for: row), deadline: .uptimeNanoseconds(deadline)) }
        }
        var outcomes: [Int64: DeliveryOutcome] = [:]
        for (row, request) in zip(rows, started) {
            do {
                let response = try request.get().wait()
                outcomes[row.id] = Self.outcome(status: Int(response.status.code))
            } catch {
                outcomes[row.id] = .transientFailure(Self.describe(error))
            }
        }
        return outcomes
    }

    private func request(for row: PendingNotification) throws -> HTTPClient.Request {
        var request = try HTTPClient.Request(url: url, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "feedloop-notifier")
        request.headers.add(name: "X-Feedloop-Event", value: row.eventType)
        // Lets a receiver recognise a repeat: delivery is at least once.
        request.headers.add(name: "X-Feedloop-Delivery", value: String(row.id))
        request.body = .string(row.body)
        return request
    }

    /// 2xx delivered; 5xx, 408 and 429 are worth retrying; any other answer will not change.
    static func outcome(status: Int) -> DeliveryOutcome {
        switch status {
        case 200..<300: return .delivered
        case 408, 429, 500..<600: return .transientFailure("HTTP \(status)")
        default: return .permanentFailure("HTTP \(status)")
        }
    }

    static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
