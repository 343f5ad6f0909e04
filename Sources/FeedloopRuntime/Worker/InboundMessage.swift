import AMQP
import FeedloopCore

/// A delivery whose envelope header decoded: routable, deduplicable, dead-letterable.
public struct InboundMessage: Sendable {
    public var delivery: AMQPDelivery
    public var header: EnvelopeHeader

    public init(delivery: AMQPDelivery, header: EnvelopeHeader) {
        self.delivery = delivery
        self.header = header
    }

    public var messageId: String { header.messageId }
    public var type: EventType { header.type }

    /// The typed payload; a malformed one throws ``MessageDecodingError`` (dead-lettered at once).
    public func decode<P: EventPayload>(_ type: P.Type) throws -> Envelope<P> {
        try Envelope<P>.decode(delivery.body)
    }
}

/// Thrown by a handler for a message that can never succeed (it is dead-lettered at once,
/// with `reason`, instead of being retried).
public struct PermanentMessageError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
