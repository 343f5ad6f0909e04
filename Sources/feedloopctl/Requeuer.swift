import AMQP
import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Republishes, for each stuck ticket, the event its waiting step needs, addressed only to
/// that step's role queue. Consumers deduplicate by message id, so requeueing a ticket that
/// was in fact handled meanwhile (or requeueing twice) changes nothing. Late notifications get
/// a wake in the notifier's delivery queue instead: the rows decide what is sent.
struct Requeuer {
    let logger: Logger
    /// Used to declare a role's queues that do not exist yet, with the workers' own settings.
    let deliveryLimit: Int
    let retryDelay: Duration

    /// Rebuilds the messages from the database; an item whose message cannot be made is
    /// returned as `failed` with the reason, one no message can help as `skipped`, the others
    /// as `planned`.
    func plan(_ stuck: [StuckTicket], in db: PostgresConnection) throws -> [RequeueItem] {
        let ids = Array(Set(stuck.map(\.ticketId)))
        let rows = try TicketEventBuilder.load(ids, from: db)
        let resolved = stuck.contains { $0.waitingFor == .followUp } ? try TicketEventBuilder.latestResolved(ids, from: db) : [:]
        return stuck.map { ticket in
            let step = ticket.waitingFor
            var item = RequeueItem(
                ticketId: ticket.ticketId, state: ticket.state, ageSeconds: ticket.ageSeconds, waitingFor: step,
                queue: step == .notificationDelivery ? DeliveryTopology.deliverQueue : step.role.queue, event: Self.messageType(for: step),
                status: .planned
            )
            do {
                let message: OutgoingMessage
                switch step {
                case .classification:
                    guard let row = rows[ticket.ticketId] else { throw RebuildError("ticket \(ticket.ticketId) no longer exists") }
                    let event = try TicketEventBuilder.feedbackReceived(row)
                    message = try .event(event, at: event.receivedAt, onlyTo: step.role)
                case .slaClocks, .acknowledgement:
                    guard let row = rows[ticket.ticketId] else { throw RebuildError("ticket \(ticket.ticketId) no longer exists") }
                    let event = try TicketEventBuilder.ticketClassified(row)
                    message = try .event(event, at: event.classifiedAt, onlyTo: step.role)
                case .followUp:
                    guard let event = resolved[ticket.ticketId] else { throw RebuildError("ticket \(ticket.ticketId) has no resolve action") }
                    message = try .event(event, at: event.actedAt, onlyTo: step.role)
                case .notificationDelivery:
                    // Rows are the truth: a wake makes the notifier claim the due rows now; a
                    // second wake finds them sent (or not due) and does nothing.
                    message = try NotificationWake(ids: ticket.notificationIds ?? [], dueAt: Date()).message(to: DeliveryTopology.deliverQueue)
                case .escalation:
                    item.status = .skipped
                    item.error = "no message moves a due clock: the escalator scans sla_clocks; start or check feedloop-escalator"
                    return item
                }
                item.messageId = message.messageId
                item.message = message
            } catch {
                item.status = .failed
                item.error = "\(error)"
            }
            return item
        }
    }

    /// Publishes every planned item through `publisher` and waits once for the broker's
    /// confirms; marks them `published`. A role queue that does not exist yet is declared first:
    /// a message sent to a missing queue would be dropped silently.
    func publish(_ items: inout [RequeueItem], broker: AMQPConnection, publisher: EventPublisher) throws {
        let ready = items.indices.filter { items[$0].status == .planned && items[$0].message != nil }
        guard !ready.isEmpty else { return }
        let queues = Set(ready.map { items[$0].queue })
        for role in WorkerRole.allCases where queues.contains(role.queue) {
            do {
                _ = try broker.inspectQueue(role.queue)
            } catch let error as AMQPError where error.code == .notFound {
                logger.notice("declaring a role's queues before requeueing to them", metadata: ["queue": "\(role.queue)"])
                try Topology.declare(role, on: broker, deliveryLimit: deliveryLimit, retryDelay: retryDelay)
            }
        }
        if queues.contains(DeliveryTopology.deliverQueue) {
            try DeliveryTopology.declare(on: broker, retryDelays: [])
        }
        // One attempt: an operator wants the error, not a command that retries forever.
        try publisher.publish(ready.map { items[$0].message! }, shouldStop: { true })
        for i in ready {
            items[i].status = .published
            logger.info(
                "requeued event",
                metadata: ["ticket_id": "\(items[i].ticketId)", "message_id": "\(items[i].messageId ?? "-")", "queue": "\(items[i].queue)"]
            )
        }
    }

    /// The message type republished for a step.
    static func messageType(for step: WaitingStep) -> String {
        switch step {
        case .classification: EventType.feedbackReceived.rawValue
        case .slaClocks, .acknowledgement: EventType.ticketClassified.rawValue
        case .followUp: EventType.ticketResolved.rawValue
        case .notificationDelivery: NotificationWake.type
        case .escalation: "-"
        }
    }
}
