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
    /// How long the TCP connect and the AMQP handshake may take.
    static let connectTimeout: Duration = .seconds(10)
    /// Upper bound for a synchronous method (declare, bind, close…) so a frozen broker cannot hang a worker.
    static let rpcTimeout: Duration = .seconds(30)

    let url: AMQPURL
    let logger: Logger
    let channel: amqp_channel_t = 1
    var state: amqp_connection_state_t?
    var open = false

    // Channel settings replayed when a channel-level error forces the channel to be reopened.
    var prefetch: UInt16?
    var activeConsumers: Set<String> = []

    /// Publisher-confirm bookkeeping; see AMQPConnection+Confirms.swift.
    var confirms = ConfirmTracker()

    /// Deliveries that arrived while waiting for something else (confirms, heartbeats).
    var bufferedDeliveries: [AMQPDelivery] = []

    /// Connects, logs in, opens channel 1 and negotiates `heartbeat` seconds (0 disables).
    /// With a cluster (`url.fallbacks`), tries each node of ``AMQPURL/endpoints`` in turn and
    /// keeps the first that accepts; `url` is then that node.
    public init(url: AMQPURL, heartbeat: Int = 30, connectionName: String? = nil, logger: Logger) throws {
        var failures: [(node: AMQPURL, error: any Error)] = []
        var opened: (node: AMQPURL, state: amqp_connection_state_t)?
        for node in url.endpoints {
            do {
                opened = (node, try Self.openChannel(to: node, heartbeat: heartbeat, connectionName: connectionName, channel: 1))
                break
            } catch {
                failures.append((node, error))
            }
        }
        guard let opened else {
            if failures.count == 1 { throw failures[0].error }
            let reasons = failures.map { "\($0.node): \($0.error)" }.joined(separator: "; ")
            throw AMQPError(.connectionFailed, "cannot reach any of the \(failures.count) brokers: \(reasons)")
        }
        self.url = opened.node
        var logger = logger
        logger[metadataKey: "amqp_url"] = "\(opened.node)"
        self.logger = logger
        self.state = opened.state
        self.open = true
        if !failures.isEmpty {
            logger.warning("AMQP connected to a fallback broker", metadata: ["unreachable": "\(failures.map { "\($0.node)" }.joined(separator: ","))"])
        }
        self.logger.debug("AMQP connection open", metadata: ["heartbeat": "\(heartbeat)"])
    }

    /// One node: TCP connect, login and channel open; the open connection state, or an error
    /// after destroying what was allocated.
    private static func openChannel(
        to url: AMQPURL, heartbeat: Int, connectionName: String?, channel: amqp_channel_t
    ) throws -> amqp_connection_state_t {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectionFailed, "cannot allocate a connection to \(url)")
        }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw AMQPError(.connectionFailed, "cannot create a TCP socket for \(url)")
        }
        var connectTimeout = Self.connectTimeout.cTimeval
        let status = amqp_socket_open_noblock(socket, url.host, Int32(clamping: url.port), &connectTimeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw AMQPError(.connectionFailed, "cannot reach \(url): \(Self.statusText(status))")
        }
        var handshakeTimeout = Self.connectTimeout.cTimeval
        _ = amqp_set_handshake_timeout(state, &handshakeTimeout)
        var rpcTimeout = Self.rpcTimeout.cTimeval
        _ = amqp_set_rpc_timeout(state, &rpcTimeout)

        let arena = CArena()
        defer { arena.release() }
        var clientProperties = arena.table(connectionName.map { ["connection_name": .string($0)] } ?? [:])
        let login = feedloop_amqp_login_plain(
            state, arena.cString(url.vhost), 0, 131_072, Int32(clamping: max(0, heartbeat)),
            &clientProperties, arena.cString(url.user), arena.cString(url.password)
        )
        if let error = Self.loginError(login, state: state, url: url) {
            amqp_destroy_connection(state)
            throw error
        }

        _ = amqp_channel_open(state, channel)
        let reply = amqp_get_rpc_reply(state)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            let error = Self.describe(reply, context: "channel.open on \(url)")
            amqp_destroy_connection(state)
            throw AMQPError(error.code == .timeout ? .connectionFailed : error.code, error.message)
        }
        return state
    }

    deinit {
        close()
    }

    /// Connects with exponential backoff (0.1 s doubling up to `maxDelay`), logging each failure,
    /// until it succeeds or `shouldStop()` returns true (then it throws the last error).
    public static func connect(
        url: AMQPURL, heartbeat: Int = 30, connectionName: String? = nil, logger: Logger,
        maxDelay: Duration = .seconds(5), shouldStop: () -> Bool
    ) throws -> AMQPConnection {
        var delay: Duration = .milliseconds(100)
        while true {
            do {
                return try AMQPConnection(url: url, heartbeat: heartbeat, connectionName: connectionName, logger: logger)
            } catch {
                logger.warning(
                    "AMQP connection failed, retrying",
                    metadata: ["amqp_url": "\(url)", "error": "\(error)", "retry_in": "\(delay)"]
                )
                // Sleep in slices so a shutdown request is honoured within ~100 ms.
                let deadline = ContinuousClock.now + delay
                while true {
                    if shouldStop() { throw error }
                    let remaining = deadline - ContinuousClock.now
                    if remaining <= .zero { break }
                    Thread.sleep(forTimeInterval: min(0.1, remaining.seconds))
                }
                delay = min(delay * 2, max(maxDelay, .milliseconds(100)))
            }
        }
    }

    /// False once the connection or channel failed or was closed; a closed connection is not reused.
    public var isOpen: Bool { open && state != nil }

    /// Closes channel and connection politely; safe to call twice and on a broken connection.
    public func close() {
        guard let state else { return }
        if open {
            // Best effort: a broker that went away makes these fail fast or after the RPC timeout.
            _ = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        }
        amqp_destroy_connection(state)
        self.state = nil
        open = false
        bufferedDeliveries.removeAll()
    }

    /// Drops the TCP connection without the closing handshake, as if the process had been killed:
    /// the broker requeues every unacknowledged delivery. For tests.
    func abortWithoutClosing() {
        guard let state else { return }
        amqp_destroy_connection(state)
        self.state = nil
        open = false
    }

    /// Declares a durable exchange (idempotent).
    public func declareExchange(_ name: String, type: String = "topic", durable: Bool = true) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        _ = amqp_exchange_declare(state, channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0, amqp_empty_table)
        try checkRPC("exchange.declare '\(name)'")
    }

    /// Deletes an exchange (no error if absent); bindings from it go with it.
    public func deleteExchange(_ name: String) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        _ = amqp_exchange_delete(state, channel, arena.bytes(name), 0)
        do {
            try checkRPC("exchange.delete '\(name)'")
        } catch let error as AMQPError where error.code == .notFound {
            // Older brokers close the channel for a missing exchange; that is the wanted end state.
        }
    }

    /// Declares a durable queue with arguments such as `x-queue-type`, `x-delivery-limit`,
    /// `x-dead-letter-exchange`, `x-dead-letter-strategy`, `x-overflow`, `x-message-ttl`.
    @discardableResult
    public func declareQueue(_ name: String, durable: Bool = true, arguments: AMQPTable = [:]) throws -> AMQPQueueInfo {
        try queueDeclare(name, passive: false, durable: durable, arguments: arguments, context: "queue.declare '\(name)'")
    }

    /// Passive declare: the queue's ready message count and consumer count; throws `.notFound` if absent.
    /// A failed passive declare closes the channel; the connection reopens it transparently.
    public func inspectQueue(_ name: String) throws -> AMQPQueueInfo {
        try queueDeclare(name, passive: true, durable: false, arguments: [:], context: "inspecting queue '\(name)'")
    }

    private func queueDeclare(_ name: String, passive: Bool, durable: Bool, arguments: AMQPTable, context: String) throws -> AMQPQueueInfo {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        let ok = amqp_queue_declare(
            state, channel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0, 0, 0, arena.table(arguments)
        )
        try checkRPC(context)
        guard let ok else { throw AMQPError(.protocolError, "\(context): no declare-ok") }
        return AMQPQueueInfo(messageCount: ok.pointee.message_count, consumerCount: ok.pointee.consumer_count)
    }

    /// Deletes a queue (no error if absent).
    public func deleteQueue(_ name: String) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        _ = amqp_queue_delete(state, channel, arena.bytes(name), 0, 0)
        do {
            try checkRPC("queue.delete '\(name)'")
        } catch let error as AMQPError where error.code == .notFound {
            // Current brokers answer delete-ok for a missing queue; older ones close the channel.
        }
    }

    /// Removes every ready message from a queue, returning how many.
    @discardableResult
    public func purgeQueue(_ name: String) throws -> UInt32 {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        let ok = amqp_queue_purge(state, channel, arena.bytes(name))
        try checkRPC("queue.purge '\(name)'")
        return ok?.pointee.message_count ?? 0
    }

    /// Binds `queue` to `exchange` for `routingKey` (idempotent).
    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws {
        let state = try liveState()
        let arena = CArena()
        defer { arena.release() }
        _ = amqp_queue_bind(state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey), amqp_empty_table)
        try checkRPC("queue.bind '\(queue)' to '\(exchange)' with '\(routingKey)'")
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
