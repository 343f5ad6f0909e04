import CRabbitMQ
import Foundation
import Logging

extension AMQPConnection {
    /// `basic.qos` prefetch for this channel's consumers.
    public func setPrefetch(_ count: UInt16) throws {
        let state = try liveState()
        _ = amqp_basic_qos(state, channel, 0, count, 0)
        try checkRPC("basic.qos prefetch \(count)")
        prefetch = count
    }

    /// Starts consuming (manual acks); returns the consumer tag.
    @discardableResult
    public func consume(queue: String, consumerTag: String = "") throws -> String {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        let ok = amqp_basic_consume(state, channel, arena.bytes(queue), arena.bytes(consumerTag), 0, 0, 0, amqp_empty_table)
        try checkRPC("basic.consume on '\(queue)'")
        let tag = ok.map { String(amqpBytes: $0.pointee.consumer_tag) } ?? consumerTag
        activeConsumers.insert(tag)
        return tag
    }

    /// Stops the broker from pushing more deliveries to `consumerTag` (`basic.cancel`).
    /// Deliveries already sent stay readable with ``nextDelivery(timeout:)``: librabbitmq keeps
    /// frames that arrive while it waits for `cancel-ok`, so a worker can finish what it holds.
    public func cancel(consumerTag: String) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        _ = amqp_basic_cancel(state, channel, arena.bytes(consumerTag))
        try checkRPC("basic.cancel of '\(consumerTag)'")
        activeConsumers.remove(consumerTag)
    }

    /// The next delivery, or nil when none arrived within `timeout`. Services heartbeats.
    /// Throws `.connectionClosed` / `.channelClosed` when the broker went away.
    public func nextDelivery(timeout: Duration) throws -> AMQPDelivery? {
        if !bufferedDeliveries.isEmpty { return bufferedDeliveries.removeFirst() }
        let deadline = ContinuousClock.now + timeout
        while true {
            let state = try liveState()
            amqp_maybe_release_buffers(state)
            var envelope = amqp_envelope_t()
            var wait = max(deadline - ContinuousClock.now, .zero).cTimeval
            let reply = amqp_consume_message(state, &envelope, &wait, 0)
            switch reply.reply_type {
            case AMQP_RESPONSE_NORMAL:
                defer { amqp_destroy_envelope(&envelope) }
                return AMQPDelivery(
                    deliveryTag: envelope.delivery_tag,
                    exchange: String(amqpBytes: envelope.exchange),
                    routingKey: String(amqpBytes: envelope.routing_key),
                    redelivered: envelope.redelivered != 0,
                    properties: AMQPMessageProperties(cProperties: envelope.message.properties),
                    body: [UInt8](amqpBytes: envelope.message.body)
                )
            case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
                return nil
            case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
                // Something other than a delivery is next (a close, a confirm…): the library kept
                // the frame for us to read.
                var frame = amqp_frame_t()
                let status = amqp_simple_wait_frame(state, &frame)
                guard status == AMQP_STATUS_OK.rawValue else {
                    throw socketFailure(status, "reading a frame while consuming")
                }
                try handleAsyncFrame(frame)
                if !bufferedDeliveries.isEmpty { return bufferedDeliveries.removeFirst() }
                if ContinuousClock.now >= deadline { return nil }
            case AMQP_RESPONSE_LIBRARY_EXCEPTION:
                throw socketFailure(reply.library_error, "waiting for a delivery")
            default:
                let error = Self.describe(reply, context: "waiting for a delivery")
                markBroken(error.message)
                throw AMQPError(.connectionClosed, error.message)
            }
        }
    }

    /// Acknowledges one delivery, or with `multiple` every unacknowledged one up to `deliveryTag`.
    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws {
        let state = try liveState()
        // Async methods have no reply; only the write can fail here, and then the socket is gone.
        let status = amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw socketFailure(status, "basic.ack \(deliveryTag)") }
    }

    /// Negatively acknowledges one delivery (or all up to it with `multiple`), requeueing it by default.
    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool = true) throws {
        let state = try liveState()
        let status = amqp_basic_nack(state, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw socketFailure(status, "basic.nack \(deliveryTag)") }
    }

    /// Rejects one delivery; without `requeue` it is dead-lettered (or dropped if the queue has no DLX).
    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws {
        let state = try liveState()
        let status = amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw socketFailure(status, "basic.reject \(deliveryTag)") }
    }

    /// Sends and receives due heartbeats without blocking; for connections that only publish.
    ///
    /// Frames that arrived meanwhile are handled: confirms are recorded for the next
    /// ``waitForConfirms(timeout:)``, deliveries are kept for ``nextDelivery(timeout:)``, and a
    /// close from the broker throws.
    public func serviceHeartbeats() throws {
        // Bounded so a steady stream of frames cannot keep the caller here forever.
        for _ in 0..<1_000 {
            let state = try liveState()
            amqp_maybe_release_buffers(state)
            var frame = amqp_frame_t()
            var noWait = timeval(tv_sec: 0, tv_usec: 0)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &noWait)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return }
            guard status == AMQP_STATUS_OK.rawValue else {
                throw socketFailure(status, "servicing heartbeats")
            }
            try handleAsyncFrame(frame)
        }
    }

    /// Handles a frame that is not the answer to a synchronous method. Must be called before the
    /// connection's buffers are released, since the decoded method lives in them.
    func handleAsyncFrame(_ frame: amqp_frame_t) throws {
        guard frame.frame_type == AMQP_FRAME_METHOD else {
            logger.debug("AMQP: ignoring a stray content frame", metadata: ["frame_type": "\(frame.frame_type)"])
            return
        }
        let method = frame.payload.method
        switch method.id {
        case FEEDLOOP_AMQP_BASIC_ACK_METHOD:
            guard let ack = method.decoded?.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee else { return }
            confirms.settle(ack.delivery_tag, multiple: ack.multiple != 0, nack: false)
        case FEEDLOOP_AMQP_BASIC_NACK_METHOD:
            guard let nack = method.decoded?.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee else { return }
            confirms.settle(nack.delivery_tag, multiple: nack.multiple != 0, nack: true)
        case FEEDLOOP_AMQP_BASIC_RETURN_METHOD:
            let returned = method.decoded?.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let reason =
                returned.map {
                    "\(String(amqpBytes: $0.reply_text)) (\($0.reply_code)) for exchange '\(String(amqpBytes: $0.exchange))' "
                        + "routing key '\(String(amqpBytes: $0.routing_key))'"
                } ?? "returned"
            // The returned message's header and body follow; they must be consumed from the stream.
            _ = try readContent(channel: frame.channel, context: "reading a returned message")
            confirms.didReturn(reason: reason)
            logger.debug("AMQP: mandatory publish returned", metadata: ["reason": "\(reason)"])
        case FEEDLOOP_AMQP_BASIC_DELIVER_METHOD:
            guard let deliver = method.decoded?.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee else { return }
            let tag = deliver.delivery_tag
            let redelivered = deliver.redelivered != 0
            let exchange = String(amqpBytes: deliver.exchange)
            let routingKey = String(amqpBytes: deliver.routing_key)
            let (properties, body) = try readContent(channel: frame.channel, context: "reading a delivery")
            bufferedDeliveries.append(
                AMQPDelivery(
                    deliveryTag: tag, exchange: exchange, routingKey: routingKey, redelivered: redelivered,
                    properties: properties, body: body
                ))
        case FEEDLOOP_AMQP_BASIC_CANCEL_METHOD:
            // The broker cancels a consumer when its queue is deleted or fails over: nothing more
            // will arrive, so the caller has to reconnect and consume again.
            activeConsumers.removeAll()
            let message = "the broker cancelled the consumer (queue deleted or unavailable)"
            markBroken(message)
            throw AMQPError(.channelClosed, message)
        case FEEDLOOP_AMQP_CHANNEL_CLOSE_METHOD:
            let reason = CloseReason(channelClose: method.decoded)
            let message = "the broker closed the channel: \(reason)"
            recoverFromChannelClose(message)
            throw AMQPError(.channelClosed, message)
        case FEEDLOOP_AMQP_CONNECTION_CLOSE_METHOD:
            let reason = CloseReason(connectionClose: method.decoded)
            let message = "the broker closed the connection: \(reason)"
            acknowledgeConnectionClose(message)
            throw AMQPError(.connectionClosed, message)
        case FEEDLOOP_AMQP_CONNECTION_BLOCKED_METHOD:
            logger.warning("AMQP: the broker blocked publishing (resource alarm)")
        case FEEDLOOP_AMQP_CONNECTION_UNBLOCKED_METHOD:
            logger.info("AMQP: the broker unblocked publishing")
        default:
            logger.debug("AMQP: ignoring method", metadata: ["method": "0x\(String(method.id, radix: 16))"])
        }
    }

    /// Reads the header and body frames that follow a `basic.deliver` or `basic.return`.
    private func readContent(channel: amqp_channel_t, context: String) throws -> (AMQPMessageProperties, [UInt8]) {
        let state = try liveState()
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            let error = Self.describe(reply, context: context)
            markBroken(error.message)
            throw AMQPError(.connectionClosed, error.message)
        }
        defer { amqp_destroy_message(&message) }
        return (AMQPMessageProperties(cProperties: message.properties), [UInt8](amqpBytes: message.body))
    }
}
