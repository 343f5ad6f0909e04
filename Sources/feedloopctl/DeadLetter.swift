import AMQP
import FeedloopCore
import FeedloopRuntime
import Foundation

/// One message in a role's dead queue, as `dlq list` shows it: who sent it where, why it
/// died and when. The body is not part of it (it carries customer text; `dlq show` masks it).
struct DeadLetter: Encodable, Sendable {
    var role: String
    var deadQueue: String
    /// The queue it failed in (header `x-feedloop-queue`, else the first x-death entry, else the
    /// role's queue): where `dlq replay` sends it back.
    var originalQueue: String
    var messageId: String?
    var type: String?
    var ticketId: Int64?
    /// Header `x-feedloop-error` (set by the worker), else the broker's x-death reason
    /// (`delivery_limit`, `rejected`, `expired`, `maxlen`).
    var reason: String
    /// Header `x-feedloop-failed-at`, else the x-death time, else the message's timestamp.
    var failedAt: Date?
    var ageSeconds: Double?
    /// Header `x-feedloop-attempt`: how many times a worker tried it.
    var attempts: Int64?
    var bodyBytes: Int

    static let reasonHeader = "x-feedloop-error"
    static let queueHeader = "x-feedloop-queue"
    static let failedAtHeader = "x-feedloop-failed-at"
    static let attemptHeader = "x-feedloop-attempt"

    init(_ delivery: AMQPDelivery, role: WorkerRole, now: Date = Date()) {
        let p = delivery.properties
        let death = Self.firstDeath(p.headers)
        self.role = role.rawValue
        deadQueue = role.deadQueue
        originalQueue = p.headers[Self.queueHeader]?.stringValue ?? death?["queue"]?.stringValue ?? role.queue
        messageId = p.messageId
        type = p.type
        ticketId = p.correlationId.flatMap { Int64($0) }
        // Masked like a body: an error text may quote what the customer wrote.
        reason = MaskedJSON.maskText(
            p.headers[Self.reasonHeader]?.stringValue ?? death?["reason"]?.stringValue.map { "broker: \($0)" } ?? "unknown")
        failedAt =
            p.headers[Self.failedAtHeader]?.stringValue.flatMap(FeedloopJSON.parseTimestamp) ?? death?["time"]?.dateValue ?? p.timestamp
        ageSeconds = failedAt.map { now.timeIntervalSince($0) }
        if case .int(let n) = p.headers[Self.attemptHeader] { attempts = n }
        bodyBytes = delivery.body.count
    }

    /// The broker's first `x-death` entry, when the broker (not a worker) dead-lettered it.
    static func firstDeath(_ headers: AMQPTable) -> AMQPTable? {
        guard case .array(let deaths) = headers["x-death"], case .table(let first) = deaths.first else { return nil }
        return first
    }
}

extension AMQPFieldValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// AMQP timestamps arrive as seconds since 1970 (librabbitmq gives them as integers).
    var dateValue: Date? {
        switch self {
        case .int(let n): Date(timeIntervalSince1970: Double(n))
        case .double(let d): Date(timeIntervalSince1970: d)
        default: nil
        }
    }
}
