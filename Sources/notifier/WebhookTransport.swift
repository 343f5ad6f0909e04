import AsyncHTTPClient
import FeedloopCore
import FeedloopRuntime
import Foundation

/// Delivers notifications as signed JSON POSTs through the process's shared HTTP client, to
/// the row's own URL (`address`) or the configured default. Called from the delivery thread,
/// so it may block on the client's futures.
final class WebhookTransport: NotificationTransport {
    let client: HTTPClient
    /// `FEEDLOOP_WEBHOOK_URL`: for rows without an address of their own.
    let defaultURL: String?
    /// `FEEDLOOP_WEBHOOK_SECRET`; nil sends unsigned requests.
    let secret: String?
    /// For the whole request, connecting included.
    let timeout: Duration

    init(client: HTTPClient, defaultURL: String?, secret: String?, timeout: Duration) {
        self.client = client
        self.defaultURL = defaultURL
        self.secret = secret
        self.timeout = timeout
    }

    /// Sends every row at once and waits for all answers.
    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        // NIODeadline counts uptime nanoseconds like DispatchTime; this target does not import NIO itself.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout.wholeMilliseconds) * 1_000_000
        var outcomes: [Int64: DeliveryOutcome] = [:]
        var sendable: [(id: Int64, request: HTTPClient.Request)] = []
        for row in rows {
            guard let url = row.address ?? defaultURL else {
                // Written while a default was configured: wait for the configuration to return.
                outcomes[row.id] = .transient("no webhook URL: the row has no address and FEEDLOOP_WEBHOOK_URL is not set")
                continue
            }
            do {
                sendable.append((row.id, try request(for: row, url: url)))
            } catch {
                outcomes[row.id] = .permanent("cannot build the request: \(Self.describe(error))")
            }
        }
        let started = sendable.map { (id: $0.id, response: client.execute(request: $0.request, deadline: .uptimeNanoseconds(deadline))) }
        for (id, response) in started {
            do {
                outcomes[id] = .http(status: Int(try response.wait().status.code))
            } catch {
                outcomes[id] = .transient(Self.describe(error))
            }
        }
        return outcomes
    }

    func request(for row: PendingNotification, url: String) throws -> HTTPClient.Request {
        let body = try Self.payload(row)
        var request = try HTTPClient.Request(url: url, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "feedloop-notifier")
        request.headers.add(name: "X-Feedloop-Event", value: row.eventType)
        // Lets a receiver recognise a repeat: delivery is at least once.
        request.headers.add(name: "X-Feedloop-Delivery", value: String(row.id))
        if let secret {
            let timestamp = Int64(Date().timeIntervalSince1970)
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: body, secret: secret, timestamp: timestamp))
        }
        request.body = .bytes(body)
        return request
    }

    /// The JSON document POSTed: the row's ids and kinds with its text, or, when the body is
    /// itself a JSON object (a machine-readable notification), that object as `data`.
    static func payload(_ row: PendingNotification) throws -> [UInt8] {
        var document: [String: Any] = [
            "delivery_id": String(row.id), "event": row.eventType, "audience": row.audience, "recipient": row.recipient,
        ]
        if let ticketId = row.ticketId { document["ticket_id"] = ticketId }
        if let subject = row.subject { document["subject"] = subject }
        if let locale = row.locale { document["locale"] = locale }
        if let object = try? JSONSerialization.jsonObject(with: Data(row.body.utf8)) as? [String: Any] {
            document["data"] = object
        } else {
            document["text"] = row.body
        }
        return Array(try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
    }

    static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
