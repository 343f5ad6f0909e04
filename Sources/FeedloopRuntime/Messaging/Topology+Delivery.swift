import AMQP
import FeedloopCore
import Foundation

/// The notifier's delivery queues: the broker, not a polling loop, says when a failed or held
/// notification is due again.
///
/// After a failed attempt the notifier publishes a small ``NotificationWake`` into
/// `feedloop.notifier.retry.<delay>`, a queue whose messages expire after that delay and are
/// then dead-lettered into `feedloop.notifier.deliver`, which the notifier consumes: the wake
/// arrives when the row is due, and the notifier claims due rows. Rows stay the truth (status,
/// next_attempt_at); a lost wake only delays a row until the notifier's slow sweep finds it.
public enum DeliveryTopology {
    /// What the notifier's delivery thread consumes: wakes whose delay ended, and replays.
    public static let deliverQueue = "feedloop.notifier.deliver"

    /// `feedloop.notifier.retry.10s`, `….1m`, `….1h`: one TTL'd queue per configured delay.
    public static func retryQueue(for delay: Duration) -> String {
        "feedloop.notifier.retry.\(label(delay))"
    }

    /// `10s`, `1m`, `90s`, `1h`, `250ms`: the largest unit that divides the delay.
    public static func label(_ delay: Duration) -> String {
        let ms = delay.wholeMilliseconds
        for (unit, size): (String, Int64) in [("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms >= size && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }

    /// Declares the deliver queue and one retry queue per delay (idempotent; a queue's TTL is
    /// fixed at declaration, which is why each delay has its own queue).
    public static func declare(on connection: AMQPConnection, retryDelays: [Duration]) throws {
        try connection.declareQueue(deliverQueue, arguments: ["x-queue-type": .string("quorum")])
        for delay in Set(retryDelays) {
            try connection.declareQueue(
                retryQueue(for: delay),
                arguments: [
                    "x-queue-type": .string("quorum"),
                    "x-message-ttl": .int(delay.wholeMilliseconds),
                    "x-dead-letter-exchange": .string(""),
                    "x-dead-letter-routing-key": .string(deliverQueue),
                    "x-dead-letter-strategy": .string("at-least-once"),
                    "x-overflow": .string("reject-publish"),
                ]
            )
        }
    }

    /// The retry queue to wait in for `remaining`: the longest delay that does not overshoot
    /// it (or the shortest). A wake that arrives early is sent round again for the rest.
    public static func queue(toWait remaining: Duration, delays: [Duration]) -> (queue: String, delay: Duration) {
        let sorted = Set(delays).sorted()
        let delay = sorted.last(where: { $0 <= remaining }) ?? sorted[0]
        return (retryQueue(for: delay), delay)
    }
}

/// "These notification rows are due at `dueAt`": the body of a message in the delivery queues.
/// It carries ids, never addresses or text.
public struct NotificationWake: Codable, Sendable, Equatable {
    public var ids: [Int64]
    public var dueAt: Date

    public init(ids: [Int64], dueAt: Date) {
        self.ids = ids
        self.dueAt = dueAt
    }

    public static let type = "notification.wake"

    /// A message straight to `queue` through the default exchange.
    public func message(to queue: String) throws -> OutgoingMessage {
        OutgoingMessage(
            messageId: UUID().uuidString.lowercased(), exchange: "", routingKey: queue, type: Self.type, ticketId: nil,
            body: Array(try FeedloopJSON.encoder().encode(self))
        )
    }

    public static func decode(_ body: [UInt8]) throws -> NotificationWake {
        try FeedloopJSON.decoder().decode(NotificationWake.self, from: Data(body))
    }
}
