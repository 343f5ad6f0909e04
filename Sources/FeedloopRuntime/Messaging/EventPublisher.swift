import AMQP
import Logging

/// A publishing connection in confirm mode, owned by one thread. ``publish(_:)`` sends a batch
/// and waits once for the broker's confirms: the unit that makes the hot path fast
/// (ARCHITECTURE §5). A broken connection is reopened and the whole batch sent again;
/// consumers are idempotent by message id, so a repeat is harmless.
public final class EventPublisher {
    let url: AMQPURL
    let heartbeat: Int
    let name: String
    let logger: Logger
    let confirmTimeout: Duration
    private var connection: AMQPConnection?
    /// Reconnections after a failure (for tests).
    public private(set) var reconnects = 0
    /// Called for each of them (the consume loop counts them in `feedloop_reconnects_total`).
    public var onReconnect: () -> Void = {}

    public init(url: AMQPURL, heartbeat: Int, name: String, logger: Logger, confirmTimeout: Duration = .seconds(30)) {
        self.url = url
        self.heartbeat = heartbeat
        self.name = name
        self.logger = logger
        self.confirmTimeout = confirmTimeout
    }

    /// The open connection, connecting (with backoff) if needed.
    func connected(shouldStop: () -> Bool) throws -> AMQPConnection {
        if let connection, connection.isOpen { return connection }
        connection?.close()
        connection = nil
        let c = try AMQPConnection.connect(url: url, heartbeat: heartbeat, connectionName: name, logger: logger, shouldStop: shouldStop)
        try c.enableConfirms()
        connection = c
        return c
    }

    /// Publishes every message and waits for all confirms. Retries on a broken connection
    /// until `shouldStop()`. A nacked batch is sent once more on a new connection; a second
    /// nack (a full queue refusing messages) is thrown to the caller.
    ///
    /// Why a new connection: a channel keeps, per quorum queue, the replica it registered
    /// with. A channel opened while a cluster node had just died can keep addressing the
    /// dead replica and have every later publish to that queue nacked, long after the
    /// survivors elected a new leader (docs/FAULTS.md, cluster-node); a new channel asks the
    /// queue's current leader.
    public func publish(_ messages: [OutgoingMessage], shouldStop: () -> Bool = { false }) throws {
        guard !messages.isEmpty else { return }
        var nacks = 0
        while true {
            let c = try connected(shouldStop: shouldStop)
            do {
                for m in messages {
                    try c.publish(exchange: m.exchange, routingKey: m.routingKey, body: m.body, properties: m.properties)
                }
                try c.waitForConfirms(timeout: confirmTimeout)
                return
            } catch let error as AMQPError where error.code == .publishNacked {
                nacks += 1
                logger.warning("publishes nacked; reopening the publishing connection", metadata: ["error": "\(error)", "attempt": "\(nacks)"])
                countReconnect()
                close()
                if nacks >= 2 || shouldStop() { throw error }
            } catch let error as AMQPError where !c.isOpen {
                logger.warning("publisher connection lost; reconnecting", metadata: ["error": "\(error)"])
                countReconnect()
                connection = nil
                if shouldStop() { throw error }
            }
        }
    }

    /// Keeps an idle connection's heartbeats going.
    public func idle() {
        guard let connection, connection.isOpen else { return }
        do {
            try connection.serviceHeartbeats()
        } catch {
            logger.warning("publisher connection lost while idle", metadata: ["error": "\(error)"])
            countReconnect()
            self.connection?.close()
            self.connection = nil
        }
    }

    /// The underlying connection for declarations (topology) on start.
    public func withConnection<T>(shouldStop: () -> Bool = { false }, _ body: (AMQPConnection) throws -> T) throws -> T {
        try body(try connected(shouldStop: shouldStop))
    }

    private func countReconnect() {
        reconnects += 1
        onReconnect()
    }

    public func close() {
        connection?.close()
        connection = nil
    }
}
