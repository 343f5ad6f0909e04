import AMQP
import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Republishes, for each stuck ticket, the event its waiting step needs, addressed only to
/// that step's role queue. Consumers deduplicate by message id, so requeueing a ticket that
/// was in fact handled meanwhile (or requeueing twice) changes nothing.
struct Requeuer {
    let logger: Logger
    /// Used to declare a role's queues that do not exist yet, with the workers' own settings.
    let deliveryLimit: Int
    let retryDelay: Duration

    /// Rebuilds the events from the tickets' rows; a ticket whose row cannot make its event is
    /// returned as `failed` with the reason, the others as `planned`.
    func plan(_ stuck: [StuckTicket], in db: PostgresConnection) throws -> [RequeueItem] {
        let rows = try TicketEventBuilder.load(Array(Set(stuck.map(\.ticketId))), from: db)
        return stuck.map { ticket in
            let role = ticket.waitingFor.role
            var item = RequeueItem(
                ticketId: ticket.ticketId, state: ticket.state, ageSeconds: ticket.ageSeconds, waitingFor: ticket.waitingFor,
                queue: role.queue, event: Self.eventType(for: ticket.waitingFor).rawValue, status: .planned
            )
            do {
                guard let row = rows[ticket.ticketId] else { throw RebuildError("ticket \(ticket.ticketId) no longer exists") }
                let message: OutgoingMessage
                switch ticket.waitingFor {
                case .classification:
                    let event = try TicketEventBuilder.feedbackReceived(row)
                    message = try .event(event, at: event.receivedAt, onlyTo: role)
                case .slaClocks, .acknowledgement:
                    let event = try TicketEventBuilder.ticketClassified(row)
                    message = try .event(event, at: event.classifiedAt, onlyTo: role)
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
        let roles = Set(ready.map { items[$0].waitingFor.role })
        for role in WorkerRole.allCases where roles.contains(role) {
            do {
                _ = try broker.inspectQueue(role.queue)
            } catch let error as AMQPError where error.code == .notFound {
                logger.notice("declaring a role's queues before requeueing to them", metadata: ["queue": "\(role.queue)"])
                try Topology.declare(role, on: broker, deliveryLimit: deliveryLimit, retryDelay: retryDelay)
            }
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

    static func eventType(for step: WaitingStep) -> EventType {
        switch step {
        case .classification: .feedbackReceived
        case .slaClocks, .acknowledgement: .ticketClassified
        }
    }
}
