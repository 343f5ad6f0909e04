import CRabbitMQ
import Foundation
import Logging

/// A close reason sent by the broker, copied out of librabbitmq's pool before it is released.
struct CloseReason {
    var code: UInt16
    var text: String
    var description: String { "\(text) (\(code))" }

    init(channelClose pointer: UnsafeMutableRawPointer?) {
        let close = pointer?.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
        code = close?.reply_code ?? 0
        text = close.map { String(amqpBytes: $0.reply_text) } ?? "channel closed"
    }

    init(connectionClose pointer: UnsafeMutableRawPointer?) {
        let close = pointer?.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
        code = close?.reply_code ?? 0
        text = close.map { String(amqpBytes: $0.reply_text) } ?? "connection closed"
    }

    /// The error code for a close reply: the common AMQP reply codes map to specific codes.
    func errorCode(fallback: AMQPError.Code) -> AMQPError.Code {
        switch Int32(code) {
        case AMQP_ACCESS_REFUSED: return .authenticationFailed
        case AMQP_NOT_FOUND: return .notFound
        case AMQP_PRECONDITION_FAILED: return .preconditionFailed
        default: return fallback
        }
    }
}

extension AMQPConnection {
    static func statusText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: text)
    }

    /// The connection handle, or `.connectionClosed` when it is no longer usable.
    func liveState() throws -> amqp_connection_state_t {
        guard open, let state else {
            throw AMQPError(.connectionClosed, "connection to \(url) is closed")
        }
        return state
    }

    /// Marks the connection unusable; the socket is released by ``close()``.
    func markBroken(_ reason: String) {
        if open {
            logger.warning("AMQP connection lost", metadata: ["reason": "\(reason)"])
        }
        open = false
    }

    /// Describes a failed reply without touching connection state (used before the object exists).
    static func describe(_ reply: amqp_rpc_reply_t, context: String) -> AMQPError {
        switch reply.reply_type {
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == FEEDLOOP_AMQP_CHANNEL_CLOSE_METHOD {
                let reason = CloseReason(channelClose: reply.reply.decoded)
                return AMQPError(reason.errorCode(fallback: .channelClosed), "\(context): \(reason)")
            }
            if reply.reply.id == FEEDLOOP_AMQP_CONNECTION_CLOSE_METHOD {
                let reason = CloseReason(connectionClose: reply.reply.decoded)
                return AMQPError(reason.errorCode(fallback: .connectionClosed), "\(context): \(reason)")
            }
            return AMQPError(.protocolError, "\(context): unexpected method 0x\(String(reply.reply.id, radix: 16))")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let code: AMQPError.Code = reply.library_error == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : .connectionClosed
            return AMQPError(code, "\(context): \(statusText(reply.library_error))")
        default:
            return AMQPError(.connectionClosed, "\(context): the broker closed the socket")
        }
    }

    static func loginError(_ reply: amqp_rpc_reply_t, state: amqp_connection_state_t, url: AMQPURL) -> AMQPError? {
        let context = "login as '\(url.user)' to vhost '\(url.vhost)' on \(url.host):\(url.port)"
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == FEEDLOOP_AMQP_CONNECTION_CLOSE_METHOD:
            let reason = CloseReason(connectionClose: reply.reply.decoded)
            var ok = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, FEEDLOOP_AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
            return AMQPError(reason.errorCode(fallback: .connectionFailed), "\(context) refused: \(reason)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION
        where reply.library_error == AMQP_STATUS_CONNECTION_CLOSED.rawValue
            || reply.library_error == AMQP_STATUS_SOCKET_CLOSED.rawValue:
            // Brokers without authentication_failure_close just drop the socket on bad credentials.
            return AMQPError(.authenticationFailed, "\(context): the broker closed the connection during login (bad credentials?)")
        default:
            let error = describe(reply, context: context)
            return AMQPError(.connectionFailed, error.message)
        }
    }

    /// Checks the reply of the synchronous method just sent. A channel-level error reopens the
    /// channel so the connection stays usable; a connection-level error marks it closed.
    func checkRPC(_ context: @autoclosure () -> String) throws {
        guard let state else { throw AMQPError(.connectionClosed, "\(context()): connection is closed") }
        let reply = amqp_get_rpc_reply(state)
        if reply.reply_type == AMQP_RESPONSE_NORMAL { return }
        let error = Self.describe(reply, context: context())
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION {
            if reply.reply.id == FEEDLOOP_AMQP_CHANNEL_CLOSE_METHOD {
                recoverFromChannelClose(error.message)
            } else if reply.reply.id == FEEDLOOP_AMQP_CONNECTION_CLOSE_METHOD {
                acknowledgeConnectionClose(error.message)
            } else {
                markBroken(error.message)
            }
        } else {
            // A timeout or socket error leaves the protocol state unknown: never reuse it.
            markBroken(error.message)
        }
        throw error
    }

    /// Answers `connection.close` with close-ok and marks the connection unusable.
    func acknowledgeConnectionClose(_ reason: String) {
        if let state {
            var ok = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, FEEDLOOP_AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
        }
        markBroken(reason)
    }

    /// Answers `channel.close` with close-ok and opens channel 1 again with its previous
    /// prefetch and confirm mode. Publishes not yet confirmed on the old channel are counted as
    /// lost, so the next ``waitForConfirms(timeout:)`` fails instead of waiting for them. Consumers
    /// do not survive a channel close, so a consuming connection is marked closed instead.
    func recoverFromChannelClose(_ reason: String) {
        guard let state else { return }
        var ok = amqp_channel_close_ok_t()
        guard amqp_send_method(state, channel, FEEDLOOP_AMQP_CHANNEL_CLOSE_OK_METHOD, &ok) == AMQP_STATUS_OK.rawValue else {
            markBroken("\(reason); sending channel.close-ok failed")
            return
        }
        confirms.channelLost()
        bufferedDeliveries.removeAll()
        if !activeConsumers.isEmpty {
            activeConsumers.removeAll()
            markBroken("\(reason); consumers were cancelled with the channel")
            return
        }
        logger.debug("AMQP channel closed by the broker, reopening", metadata: ["reason": "\(reason)"])
        _ = amqp_channel_open(state, channel)
        guard amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL else {
            markBroken("\(reason); reopening the channel failed")
            return
        }
        if let prefetch {
            _ = amqp_basic_qos(state, channel, 0, prefetch, 0)
            guard amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL else {
                markBroken("\(reason); restoring prefetch failed")
                return
            }
        }
        if confirms.enabled {
            _ = amqp_confirm_select(state, channel)
            guard amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL else {
                markBroken("\(reason); restoring confirm mode failed")
                return
            }
        }
    }

    /// Turns a failed status of a frame read or write into an error, marking the connection closed.
    func socketFailure(_ status: Int32, _ context: String) -> AMQPError {
        let message = "\(context): \(Self.statusText(status))"
        markBroken(message)
        return AMQPError(.connectionClosed, message)
    }
}
