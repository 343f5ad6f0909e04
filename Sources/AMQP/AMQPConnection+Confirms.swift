import CRabbitMQ
import Foundation
import Logging

/// Which publishes the broker has not confirmed yet.
///
/// Delivery tags are consecutive from 1 on a confirm-mode channel, so everything below `floor`
/// is settled and only the tags from `floor` to `lastPublished` are kept in a set.
struct ConfirmTracker {
    var enabled = false
    private(set) var lastPublished: UInt64 = 0
    private(set) var floor: UInt64 = 1
    private var unconfirmed: Set<UInt64> = []
    /// Since the last `waitForConfirms`.
    private(set) var published = 0
    private(set) var nacked = 0
    private(set) var returned = 0
    /// Publishes whose channel closed before they were confirmed.
    private(set) var lost = 0
    var firstReturnReason: String?

    var pending: Int { unconfirmed.count }

    mutating func didPublish() {
        lastPublished += 1
        unconfirmed.insert(lastPublished)
        published += 1
    }

    mutating func settle(_ tag: UInt64, multiple: Bool, nack: Bool) {
        var settled = 0
        if multiple {
            let upper = min(tag, lastPublished)
            if upper >= floor {
                for pendingTag in floor...upper where unconfirmed.remove(pendingTag) != nil {
                    settled += 1
                }
                floor = upper + 1
            }
        } else if unconfirmed.remove(tag) != nil {
            settled = 1
        }
        if nack { nacked += settled }
        while floor <= lastPublished && !unconfirmed.contains(floor) { floor += 1 }
    }

    mutating func didReturn(reason: String) {
        returned += 1
        if firstReturnReason == nil { firstReturnReason = reason }
    }

    /// A new channel numbers its deliveries from 1 again; what was pending can never be confirmed.
    mutating func channelLost() {
        lost += unconfirmed.count
        unconfirmed.removeAll()
        lastPublished = 0
        floor = 1
    }

    /// Starts the next batch.
    mutating func resetCounters() {
        published = 0
        nacked = 0
        returned = 0
        lost = 0
        firstReturnReason = nil
    }
}

extension AMQPConnection {
    /// Puts the channel in confirm mode (`confirm.select`); required before ``waitForConfirms(timeout:)``.
    public func enableConfirms() throws {
        let state = try liveState()
        guard !confirms.enabled else { return }
        _ = amqp_confirm_select(state, channel)
        try checkRPC("confirm.select")
        confirms = ConfirmTracker()
        confirms.enabled = true
    }

    /// Publishes one message. In confirm mode it is tracked until ``waitForConfirms(timeout:)``.
    public func publish(
        exchange: String, routingKey: String, body: [UInt8],
        properties: AMQPMessageProperties = AMQPMessageProperties(), mandatory: Bool = false
    ) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        var cProperties = arena.basicProperties(properties)
        let exchangeBytes = arena.bytes(exchange)
        let routingKeyBytes = arena.bytes(routingKey)
        let status = body.withUnsafeBytes { raw in
            let bodyBytes = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return amqp_basic_publish(
                state, channel, exchangeBytes, routingKeyBytes, mandatory ? 1 : 0, 0, &cProperties, bodyBytes
            )
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            // A partly written frame sequence cannot be resumed: the connection is done.
            throw socketFailure(status, "publishing to '\(exchange)' with '\(routingKey)'")
        }
        if confirms.enabled { confirms.didPublish() }
    }

    /// Waits until the broker confirmed every message published since the last call, reading
    /// `basic.ack` / `basic.nack` frames (single and multiple). Throws `.publishNacked` (with the
    /// number nacked) if any was nacked, `.timeout` if not all arrived in time.
    ///
    /// Also throws `.unroutable` when a `mandatory` message came back with `basic.return`, and
    /// `.channelClosed` / `.connectionClosed` when the broker closed the channel or connection
    /// before confirming (the messages may or may not have been stored: publish them again).
    public func waitForConfirms(timeout: Duration = .seconds(30)) throws {
        guard confirms.enabled else {
            throw AMQPError(.protocolError, "waitForConfirms needs enableConfirms() first")
        }
        defer { confirms.resetCounters() }
        let deadline = ContinuousClock.now + timeout
        while confirms.pending > 0 {
            let state = try liveState()
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                throw AMQPError(
                    .timeout,
                    "\(confirms.pending) of \(confirms.published) publishes not confirmed within \(timeout)"
                )
            }
            amqp_maybe_release_buffers(state)
            var frame = amqp_frame_t()
            var wait = remaining.cTimeval
            let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
            if status == AMQP_STATUS_TIMEOUT.rawValue { continue }
            guard status == AMQP_STATUS_OK.rawValue else {
                throw socketFailure(status, "waiting for publisher confirms")
            }
            try handleAsyncFrame(frame)
        }
        if confirms.lost > 0 {
            throw AMQPError(.channelClosed, "\(confirms.lost) publishes were lost when the channel closed before confirming them")
        }
        if confirms.nacked > 0 {
            throw AMQPError(.publishNacked, "the broker nacked \(confirms.nacked) of \(confirms.published) publishes")
        }
        if confirms.returned > 0 {
            throw AMQPError(
                .unroutable,
                "\(confirms.returned) of \(confirms.published) mandatory publishes were unroutable: \(confirms.firstReturnReason ?? "")"
            )
        }
    }
}
