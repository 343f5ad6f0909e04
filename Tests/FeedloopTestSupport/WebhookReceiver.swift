import FeedloopRuntime
import Foundation
import Hummingbird
import NIOCore

/// An HTTP server in the test process that records every webhook POST it receives. With a
/// secret it verifies `X-Feedloop-Signature` as a real receiver would and answers 401 to a
/// missing, forged or stale one (recording it in ``refused``); while ``failing`` is set it
/// answers 500 without recording.
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
    private var refusedCount = 0
    private var failingNow = false
    private var task: Task<Void, Error>?

    public init(secret: String? = nil) throws {
        port = try Pipeline.freePort()
        let router = Router()
        router.post("/hooks") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            if self.failing { return .internalServerError }
            if let secret {
                do {
                    try WebhookSignature.verify(
                        header: request.headers[.init(WebhookSignature.header)!] ?? "", body: Data(buffer: bytes), secret: secret
                    )
                } catch {
                    self.refuse()
                    return .unauthorized
                }
            }
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

    /// While true, every POST is answered 500.
    public var failing: Bool {
        get {
            lock.lock()
            defer { lock.unlock() }
            return failingNow
        }
        set {
            lock.lock()
            failingNow = newValue
            lock.unlock()
        }
    }

    /// POSTs refused for a bad signature.
    public var refused: Int {
        lock.lock()
        defer { lock.unlock() }
        return refusedCount
    }

    private func refuse() {
        lock.lock()
        refusedCount += 1
        lock.unlock()
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
