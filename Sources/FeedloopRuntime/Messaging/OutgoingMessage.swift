import AMQP
import FeedloopCore
import Foundation

/// A message to publish: an event for the topic exchange, or a message addressed straight to
/// one queue (requeue, retry, dead letter) through the default exchange.
public struct OutgoingMessage: Sendable {
    public var messageId: String
    public var exchange: String
    public var routingKey: String
    public var type: String
    public var ticketId: Int64?
    public var body: [UInt8]
    public var timestamp: Date
    public var headers: AMQPTable

    public init(
        messageId: String, exchange: String, routingKey: String, type: String, ticketId: Int64?, body: [UInt8],
        timestamp: Date = Date(), headers: AMQPTable = [:]
    ) {
        self.messageId = messageId
        self.exchange = exchange
        self.routingKey = routingKey
        self.type = type
        self.ticketId = ticketId
        self.body = body
        self.timestamp = timestamp
        self.headers = headers
    }

    /// The event, routed by its type on `feedloop.events`.
    public static func event<P: EventPayload>(_ payload: P, at date: Date = Date()) throws -> OutgoingMessage {
        let envelope = Envelope(payload, occurredAt: date)
        return OutgoingMessage(
            messageId: envelope.messageId, exchange: Topology.eventsExchange, routingKey: envelope.type.rawValue,
            type: envelope.type.rawValue, ticketId: payload.ticketId, body: try envelope.encoded(), timestamp: date
        )
    }

    /// The same event addressed to one role's queue only (what `feedloopctl requeue` sends).
    public static func event<P: EventPayload>(_ payload: P, at date: Date = Date(), onlyTo role: WorkerRole) throws -> OutgoingMessage {
        var message = try event(payload, at: date)
        message.exchange = ""
        message.routingKey = role.queue
        return message
    }

    var properties: AMQPMessageProperties {
        AMQPMessageProperties(
            contentType: "application/json", messageId: messageId, type: type, timestamp: timestamp,
            correlationId: ticketId.map(String.init), persistent: true, headers: headers
        )
    }
}
