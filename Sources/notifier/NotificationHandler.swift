import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Turns ticket events into rows of the notification outbox (customer acknowledgements,
/// staff escalation notices) and, after each committed batch and once a second, delivers the
/// rows that are due.
final class NotificationHandler: MessageHandler {
    let channel: DeliveryChannelKind
    let dispatcher: NotificationDispatcher
    let tickInterval: Duration?

    init(channel: DeliveryChannelKind, dispatcher: NotificationDispatcher, retryScanInterval: Duration) {
        self.channel = channel
        self.dispatcher = dispatcher
        self.tickInterval = retryScanInterval
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var classified: [(event: TicketClassified, messageId: String)] = []
        var escalated: [(event: TicketEscalated, messageId: String)] = []
        for m in messages {
            switch m.type {
            case .ticketClassified: classified.append((try m.decode(TicketClassified.self).data, m.messageId))
            case .ticketEscalated: escalated.append((try m.decode(TicketEscalated.self).data, m.messageId))
            default:
                // Only a misrouted message gets here: retrying would never help.
                throw PermanentMessageError("the notifier does not handle \(m.type.rawValue)")
            }
        }
        let customers = try customerRefs(of: classified.map(\.event.ticketId), in: db)
        var rows: [NewNotification] = []
        for (event, messageId) in classified {
            rows.append(
                NewNotification(
                    dedupeKey: "\(messageId)/customer/acknowledgement", ticketId: event.ticketId, eventType: TicketClassified.type.rawValue,
                    audience: .customer, recipient: customers[event.ticketId] ?? "ticket:\(event.ticketId)", channel: channel,
                    body: try NotificationBody.acknowledgement(event, messageId: messageId).encoded()
                )
            )
        }
        for (event, messageId) in escalated {
            rows.append(
                NewNotification(
                    dedupeKey: "\(messageId)/staff/escalation", ticketId: event.ticketId, eventType: TicketEscalated.type.rawValue,
                    audience: .staff, recipient: event.department.map { "\(event.notify)@\($0)" } ?? event.notify, channel: channel,
                    body: try NotificationBody.escalation(event, messageId: messageId).encoded()
                )
            )
        }
        try NewNotification.insert(rows, in: db)
        return []
    }

    /// The customer reference of each ticket that has one.
    private func customerRefs(of tickets: [Int64], in db: PostgresConnection) throws -> [Int64: String] {
        guard !tickets.isEmpty else { return [:] }
        let rows = try db.query(
            "SELECT id, customer_ref FROM tickets WHERE id = ANY($1::int8[]) AND customer_ref IS NOT NULL AND customer_ref <> ''",
            [.intArray(tickets)]
        )
        var refs: [Int64: String] = [:]
        for row in rows { refs[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1) }
        return refs
    }

    func afterCommit(_ context: WorkerContext) throws {
        try dispatcher.deliverDue(db: context.db)
    }

    /// Picks up retries whose backoff ended and rows left by a replica that stopped mid-way.
    func tick(_ context: WorkerContext) throws {
        try dispatcher.deliverDue(db: context.db)
    }
}
