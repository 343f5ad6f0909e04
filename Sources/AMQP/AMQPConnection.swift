import CRabbitMQ
import Foundation
import Logging

/// A blocking AMQP 0-9-1 connection over librabbitmq with one channel (number 1).
///
/// librabbitmq allows one connection per thread: an `AMQPConnection` must only ever be used
/// from the thread that created it (the runtime gives every worker loop its own thread).
/// Heartbeats are serviced only inside library calls, so idle users call
/// ``nextDelivery(timeout:)`` or ``serviceHeartbeats()`` regularly.
public final class AMQPConnection {
    /// Connects, logs in, opens channel 1 and negotiates `heartbeat` seconds (0 disables).
    public init(url: AMQPURL, heartbeat: Int = 30, connectionName: String? = nil, logger: Logger) throws {
        fatalError("unimplemented")
    }

    /// Connects with exponential backoff (0.1 s doubling up to `maxDelay`), logging each failure,
    /// until it succeeds or `shouldStop()` returns true (then it throws the last error).
    public static func connect(
        url: AMQPURL, heartbeat: Int = 30, connectionName: String? = nil, logger: Logger,
        maxDelay: Duration = .seconds(5), shouldStop: () -> Bool
    ) throws -> AMQPConnection {
        fatalError("unimplemented")
    }

    /// False once the connection or channel failed or was closed; a closed connection is not reused.
    public var isOpen: Bool { fatalError("unimplemented") }

    /// Closes channel and connection politely; safe to call twice and on a broken connection.
    public func close() { fatalError("unimplemented") }

    /// Declares a durable exchange (idempotent).
    public func declareExchange(_ name: String, type: String = "topic", durable: Bool = true) throws {
        fatalError("unimplemented")
    }

    /// Declares a durable queue with arguments such as `x-queue-type`, `x-delivery-limit`,
    /// `x-dead-letter-exchange`, `x-dead-letter-strategy`, `x-overflow`, `x-message-ttl`.
    @discardableResult
    public func declareQueue(_ name: String, durable: Bool = true, arguments: AMQPTable = [:]) throws -> AMQPQueueInfo {
        fatalError("unimplemented")
    }

    /// Passive declare: the queue's ready message count and consumer count; throws `.notFound` if absent.
    /// A failed passive declare closes the channel; the connection reopens it transparently.
    public func inspectQueue(_ name: String) throws -> AMQPQueueInfo { fatalError("unimplemented") }

    /// Deletes a queue (no error if absent).
    public func deleteQueue(_ name: String) throws { fatalError("unimplemented") }

    /// Removes every ready message from a queue, returning how many.
    @discardableResult
    public func purgeQueue(_ name: String) throws -> UInt32 { fatalError("unimplemented") }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws { fatalError("unimplemented") }

    /// Puts the channel in confirm mode (`confirm.select`); required before ``waitForConfirms(timeout:)``.
    public func enableConfirms() throws { fatalError("unimplemented") }

    /// Publishes one message. In confirm mode it is tracked until ``waitForConfirms(timeout:)``.
    public func publish(
        exchange: String, routingKey: String, body: [UInt8],
        properties: AMQPMessageProperties = AMQPMessageProperties(), mandatory: Bool = false
    ) throws { fatalError("unimplemented") }

    /// Waits until the broker confirmed every message published since the last call, reading
    /// `basic.ack` / `basic.nack` frames (single and multiple). Throws `.publishNacked` (with the
    /// number nacked) if any was nacked, `.timeout` if not all arrived in time.
    public func waitForConfirms(timeout: Duration = .seconds(30)) throws { fatalError("unimplemented") }

    /// `basic.qos` prefetch for this channel's consumers.
    public func setPrefetch(_ count: UInt16) throws { fatalError("unimplemented") }

    /// Starts consuming (manual acks); returns the consumer tag.
    @discardableResult
    public func consume(queue: String, consumerTag: String = "") throws -> String { fatalError("unimplemented") }

    /// The next delivery, or nil when none arrived within `timeout`. Services heartbeats.
    /// Throws `.connectionClosed` / `.channelClosed` when the broker went away.
    public func nextDelivery(timeout: Duration) throws -> AMQPDelivery? { fatalError("unimplemented") }

    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws { fatalError("unimplemented") }
    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool = true) throws { fatalError("unimplemented") }
    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws { fatalError("unimplemented") }

    /// Sends and receives due heartbeats without blocking; for connections that only publish.
    public func serviceHeartbeats() throws { fatalError("unimplemented") }
}
