import Foundation

/// A value in an AMQP field table (queue arguments, message headers).
public enum AMQPFieldValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case table(AMQPTable)
    case array([AMQPFieldValue])
}

public typealias AMQPTable = [String: AMQPFieldValue]

/// Basic properties of a message.
public struct AMQPMessageProperties: Sendable, Hashable {
    public var contentType: String?
    public var messageId: String?
    public var type: String?
    public var timestamp: Date?
    public var correlationId: String?
    /// Delivery mode 2 (persistent) when true.
    public var persistent: Bool
    public var headers: AMQPTable

    public init(
        contentType: String? = nil, messageId: String? = nil, type: String? = nil, timestamp: Date? = nil,
        correlationId: String? = nil, persistent: Bool = true, headers: AMQPTable = [:]
    ) {
        self.contentType = contentType
        self.messageId = messageId
        self.type = type
        self.timestamp = timestamp
        self.correlationId = correlationId
        self.persistent = persistent
        self.headers = headers
    }
}

/// One message received by a consumer.
public struct AMQPDelivery: Sendable {
    public var deliveryTag: UInt64
    public var exchange: String
    public var routingKey: String
    public var redelivered: Bool
    public var properties: AMQPMessageProperties
    public var body: [UInt8]

    public init(deliveryTag: UInt64, exchange: String, routingKey: String, redelivered: Bool, properties: AMQPMessageProperties, body: [UInt8]) {
        self.deliveryTag = deliveryTag
        self.exchange = exchange
        self.routingKey = routingKey
        self.redelivered = redelivered
        self.properties = properties
        self.body = body
    }

    /// `x-delivery-count` set by quorum queues on redelivery (0 on first delivery).
    public var deliveryCount: Int64 {
        if case .int(let n) = properties.headers["x-delivery-count"] { return n }
        return 0
    }
}

/// Ready messages and consumers of a queue, as the broker reported them.
public struct AMQPQueueInfo: Sendable, Hashable {
    public var messageCount: UInt32
    public var consumerCount: UInt32
    public init(messageCount: UInt32, consumerCount: UInt32) {
        self.messageCount = messageCount
        self.consumerCount = consumerCount
    }
}

/// An AMQP failure: compared by ``code``; the description carries context, never a password.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public static let invalidURL = Code(raw: "invalidURL")
        public static let connectionFailed = Code(raw: "connectionFailed")
        public static let authenticationFailed = Code(raw: "authenticationFailed")
        public static let connectionClosed = Code(raw: "connectionClosed")
        public static let channelClosed = Code(raw: "channelClosed")
        public static let notFound = Code(raw: "notFound")
        public static let preconditionFailed = Code(raw: "preconditionFailed")
        public static let publishNacked = Code(raw: "publishNacked")
        public static let timeout = Code(raw: "timeout")
        public static let protocolError = Code(raw: "protocolError")
        /// A `mandatory` message could not be routed to any queue and came back as `basic.return`.
        public static let unroutable = Code(raw: "unroutable")
        public var description: String { raw }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "AMQPError.\(code): \(message)" }
}
