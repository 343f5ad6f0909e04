import AMQP
import FeedloopRuntime
import Foundation

/// Reads a dead queue without losing anything: consumes with manual acks and a prefetch of
/// exactly the messages that were in the queue, so the broker hands over each of them once and
/// nothing that arrives later. Only what the caller ``ack(_:)``s leaves the queue; ``release()``
/// (or closing the connection) puts the rest back. The dead queues have no delivery limit
/// (Topology), so the redelivery this counts on a quorum queue never dead-letters them again.
final class DeadLetterScan {
    let role: WorkerRole
    /// Messages in the queue when the scan started (may exceed what was read: see `limit`).
    let queued: UInt32
    private(set) var deliveries: [AMQPDelivery] = []
    private let broker: AMQPConnection
    private var consumerTag: String?
    private var acked: Set<UInt64> = []

    /// Reads up to `limit` messages of `role`'s dead queue; a queue that does not exist yet
    /// reads as empty.
    init(role: WorkerRole, broker: AMQPConnection, limit: Int) throws {
        self.role = role
        self.broker = broker
        let info: AMQPQueueInfo
        do {
            info = try broker.inspectQueue(role.deadQueue)
        } catch let error as AMQPError where error.code == .notFound {
            queued = 0
            return
        }
        queued = info.messageCount
        let wanted = min(Int(info.messageCount), limit)
        guard wanted > 0 else { return }
        try broker.setPrefetch(UInt16(wanted))
        consumerTag = try broker.consume(queue: role.deadQueue)
        while deliveries.count < wanted, let delivery = try broker.nextDelivery(timeout: .seconds(3)) {
            deliveries.append(delivery)
        }
        // Stop the push before deciding anything: a nack below must not come straight back.
        if let consumerTag { try broker.cancel(consumerTag: consumerTag) }
        consumerTag = nil
    }

    /// The dead letters read, with their deliveries.
    func letters(now: Date = Date()) -> [(letter: DeadLetter, delivery: AMQPDelivery)] {
        deliveries.map { (DeadLetter($0, role: role, now: now), $0) }
    }

    /// Removes one message from the dead queue for good.
    func ack(_ delivery: AMQPDelivery) throws {
        try broker.ack(delivery.deliveryTag)
        acked.insert(delivery.deliveryTag)
    }

    /// Returns every message not acknowledged to the queue.
    func release() throws {
        for delivery in deliveries where !acked.contains(delivery.deliveryTag) {
            try broker.nack(delivery.deliveryTag, multiple: false, requeue: true)
        }
        deliveries.removeAll()
    }
}
