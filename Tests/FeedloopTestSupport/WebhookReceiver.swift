import Foundation
import Hummingbird
import NIOCore

/// An HTTP server in the test process that records every webhook POST it receives.
public final class WebhookReceiver: @unchecked Sendable {
    /// One received request: the delivery id header and the JSON body.
    public struct Delivery: Sendable {
        public var deliveryId: String?
        public var event: String?
        public var body: [String: any Sendable]
    }

    public let port: Int
    private let lock = NSLock()
    private var received: [Delivery] = []
    private var task: Task<Void, Error>?

    public init() throws {
        port = try Pipeline.freePort()
        let router = Router()
        router.post("/hooks") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:]
            self.record(
                Delivery(
                    deliveryId: request.headers[.init("X-Feedloop-Delivery")!],
                    event: request.headers[.init("X-Feedloop-Event")!],
                    body: json.mapValues { "\($0)" }
                )
            )
            return .noContent
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        task = Task { try await app.run() }
    }

    /// `http://127.0.0.1:PORT/hooks`
    public var url: String { "http://127.0.0.1:\(port)/hooks" }

    public var deliveries: [Delivery] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    private func record(_ delivery: Delivery) {
        lock.lock()
        received.append(delivery)
        lock.unlock()
    }

    public func stop() {
        task?.cancel()
    }
}
