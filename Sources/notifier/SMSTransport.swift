import AsyncHTTPClient
import FeedloopRuntime
import Foundation

/// Text messages through an HTTP gateway: a POST to `FEEDLOOP_SMS_URL` whose body is
/// `FEEDLOOP_SMS_TEMPLATE` with `{{phone}}` and `{{text}}` replaced by JSON-escaped values
/// (without quotes: the template places them inside its own string literals).
final class SMSTransport: NotificationTransport {
    static let defaultTemplate = #"{"to":"{{phone}}","text":"{{text}}"}"#

    let client: HTTPClient
    let url: String?
    let template: String
    let contentType: String
    let timeout: Duration

    init(client: HTTPClient, url: String?, template: String, contentType: String, timeout: Duration) {
        self.client = client
        self.url = url
        self.template = template
        self.contentType = contentType
        self.timeout = timeout
    }

    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        var outcomes: [Int64: DeliveryOutcome] = [:]
        guard let url else {
            for row in rows { outcomes[row.id] = .transient("FEEDLOOP_SMS_URL is not set") }
            return outcomes
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout.wholeMilliseconds) * 1_000_000
        var sendable: [(id: Int64, request: HTTPClient.Request)] = []
        for row in rows {
            guard let phone = row.address, !phone.isEmpty else {
                outcomes[row.id] = .permanent("no phone number (address is empty)")
                continue
            }
            do {
                var request = try HTTPClient.Request(url: url, method: .POST)
                request.headers.add(name: "Content-Type", value: contentType)
                request.headers.add(name: "User-Agent", value: "feedloop-notifier")
                request.headers.add(name: "X-Feedloop-Delivery", value: String(row.id))
                request.body = .string(Self.render(template, phone: phone, text: row.body))
                sendable.append((row.id, request))
            } catch {
                outcomes[row.id] = .permanent("cannot build the request: \(WebhookTransport.describe(error))")
            }
        }
        let started = sendable.map { (id: $0.id, response: client.execute(request: $0.request, deadline: .uptimeNanoseconds(deadline))) }
        for (id, response) in started {
            do {
                outcomes[id] = .http(status: Int(try response.wait().status.code))
            } catch {
                outcomes[id] = .transient(WebhookTransport.describe(error))
            }
        }
        return outcomes
    }

    static func render(_ template: String, phone: String, text: String) -> String {
        template.replacingOccurrences(of: "{{phone}}", with: jsonEscaped(phone)).replacingOccurrences(of: "{{text}}", with: jsonEscaped(text))
    }

    /// The inside of a JSON string literal.
    static func jsonEscaped(_ value: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let literal = String(decoding: data, as: UTF8.self)
        // `["…"]` → `…`
        return String(literal.dropFirst(2).dropLast(2))
    }
}
