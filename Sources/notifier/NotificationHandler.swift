import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Turns ticket events into rows of the notification outbox, as the routing says: for each
/// route of the event, the recipient (the customer record, or the staff directory for staff
/// audiences and escalation steps), their channels and locale, and the rendered template.
/// Rows are inserted in the batch's transaction with a unique key per (event, audience,
/// recipient, channel), so a redelivered event never writes a second one.
///
/// The satisfaction loop also runs here: a resolved ticket's customer message carries a
/// one-time rating link, and a valid answer at or below the unhappy score reopens the ticket
/// (through ``TicketActionStore``, its `ticket.reopened` committed with the batch) and tells
/// the department head.
///
/// After each committed batch, and once a retry interval, it lets the dispatcher deliver due rows.
final class NotificationHandler: MessageHandler {
    let content: NotificationContent
    let dispatcher: NotificationDispatcher
    let logger: Logger
    let tickInterval: Duration?

    init(content: NotificationContent, dispatcher: NotificationDispatcher, retryScanInterval: Duration, logger: Logger) {
        self.content = content
        self.dispatcher = dispatcher
        self.tickInterval = retryScanInterval
        self.logger = logger
    }

    /// A decoded message waiting for its ticket's facts.
    private enum Decoded {
        case classified(TicketClassified)
        case slaWarning(TicketSLAWarning)
        case escalated(TicketEscalated)
        case acted(TicketActed)
        case answered(SurveyAnswered)

        var ticketId: Int64 {
            switch self {
            case .classified(let e): return e.ticketId
            case .slaWarning(let e): return e.ticketId
            case .escalated(let e): return e.ticketId
            case .acted(let e): return e.ticketId
            case .answered(let e): return e.ticketId
            }
        }
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var decoded: [(message: Decoded, messageId: String)] = []
        for m in messages {
            switch m.type {
            case .ticketClassified: decoded.append((.classified(try m.decode(TicketClassified.self).data), m.messageId))
            case .ticketSLAWarning: decoded.append((.slaWarning(try m.decode(TicketSLAWarning.self).data), m.messageId))
            case .ticketEscalated: decoded.append((.escalated(try m.decode(TicketEscalated.self).data), m.messageId))
            case .surveyAnswered: decoded.append((.answered(try m.decode(SurveyAnswered.self).data), m.messageId))
            case let type where TicketActed.types.contains(type):
                decoded.append((.acted(try m.decode(TicketActed.self).data), m.messageId))
            default:
                // Only a misrouted message gets here: retrying would never help.
                throw PermanentMessageError("the notifier does not handle \(m.type.rawValue)")
            }
        }
        let facts = try TicketFacts.load(decoded.map(\.message.ticketId).filter { $0 > 0 }, in: db)
        var rows: [NewNotification] = []
        var events: [OutgoingMessage] = []
        let now = Date()
        for (message, messageId) in decoded {
            if case .answered(let answer) = message, !isUnhappy(answer) { continue }
            guard let ticket = facts[message.ticketId] else {
                throw PermanentMessageError("ticket \(message.ticketId) does not exist")
            }
            let subject: MessageSubject
            switch message {
            case .classified(let e): subject = .classified(e)
            case .slaWarning(let e): subject = .slaWarning(e)
            case .escalated(let e): subject = .escalated(e, history: try Self.history(of: e, in: db))
            case .acted(let e): subject = .acted(e, surveyLink: nil)
            case .answered(let answer):
                let reopened = try reopen(answer, in: db)
                if let reopened { events.append(reopened) }
                subject = .unhappy(answer, threshold: content.unhappyScore, reopened: reopened != nil)
            }
            rows += try compose(subject, ticket: ticket, messageId: messageId, now: now, in: db)
        }
        try NewNotification.insert(rows, in: db)
        return events
    }

    /// A valid answer about a ticket, at or below the unhappy score.
    func isUnhappy(_ answer: SurveyAnswered) -> Bool {
        answer.valid && answer.ticketId > 0 && answer.overall <= content.unhappyScore
    }

    /// Reopens the answered ticket; returns its `ticket.reopened` to commit with the batch, or
    /// nil when the lifecycle does not allow it (already reopened by an earlier answer, closed).
    private func reopen(_ answer: SurveyAnswered, in db: PostgresConnection) throws -> OutgoingMessage? {
        let note = "satisfaction survey \(answer.surveyId): overall \(answer.overall) of 5 (response \(answer.responseId))"
        do {
            let result = try TicketActionStore.apply(
                TicketActionRequest(ticketId: answer.ticketId, action: .reopen, actor: "survey", note: note), in: db)
            logger.notice("unhappy survey answer reopened the ticket", metadata: ["ticket_id": "\(answer.ticketId)", "overall": "\(answer.overall)"])
            return result.message
        } catch let error as TicketActionError {
            // Refused before anything was written: the transaction is intact.
            logger.notice(
                "unhappy survey answer did not reopen the ticket",
                metadata: ["ticket_id": "\(answer.ticketId)", "overall": "\(answer.overall)", "reason": "\(error)"])
            return nil
        }
    }

    /// The rows of every route of `subject`'s event.
    private func compose(_ subject: MessageSubject, ticket: TicketFacts, messageId: String, now: Date, in db: PostgresConnection) throws
        -> [NewNotification]
    {
        var rows: [NewNotification] = []
        let routing = content.routing
        for route in routing.routes(for: subject.eventType) {
            let recipient = self.recipient(route.audience, subject: subject, ticket: ticket)
            var subject = subject
            if route.audience == .customer, case .acted(let event, _) = subject, event.action == .resolve, ticket.customer != nil,
                let issuer = content.surveyLinks
            {
                subject = .acted(event, surveyLink: try issuer.issue(ticketId: ticket.id, now: now, in: db))
            }
            let locale = routing.locale(for: recipient.locale)
            let format = MessageFormatter(locale: locale, timeZone: routing.timeZone)
            let variables = TemplateContext.variables(subject, ticket: ticket, audience: route.audience, recipient: recipient, format: format)
            guard let rendered = content.templates.render(template: route.template, audience: route.audience, locale: locale, variables: variables)
            else {
                throw PermanentMessageError("no template \(route.template)/\(route.audience.rawValue).\(locale)")
            }
            var channels = recipient.channels(route.channels, all: route.sendToAll)
            if channels.isEmpty {
                // Recorded rather than dropped: the log shows who could not be reached.
                logger.warning(
                    "notification recipient has no address for the route's channels; writing it to the log",
                    metadata: [
                        "ticket_id": "\(ticket.id)", "audience": "\(route.audience.rawValue)", "recipient": "\(recipient.id)",
                        "event": "\(route.event.rawValue)",
                    ])
                channels = [.log]
            }
            for channel in channels {
                rows.append(
                    NewNotification(
                        dedupeKey: NewNotification.dedupeKey(messageId: messageId, audience: route.audience, recipient: recipient.id, channel: channel),
                        ticketId: ticket.id, eventType: route.event.rawValue, audience: route.audience, recipient: recipient.id, channel: channel,
                        address: channel == .log ? nil : recipient.addresses[channel], subject: rendered.subject, body: rendered.text,
                        bodyHTML: channel == .email ? rendered.html : nil, locale: locale))
            }
        }
        return rows
    }

    /// Who a route's audience is for this ticket. A customer without a record, or a role or
    /// person the directory cannot resolve, still gets a recipient without addresses (the
    /// row goes to the log), so the miss is visible.
    private func recipient(_ audience: NotificationAudience, subject: MessageSubject, ticket: TicketFacts) -> NotificationRecipient {
        let department: String?
        let assignee: String?
        switch subject {
        case .classified(let e): (department, assignee) = (e.department, ticket.assignee)
        case .slaWarning(let e): (department, assignee) = (e.department ?? ticket.department, e.assignee ?? ticket.assignee)
        case .escalated(let e, _): (department, assignee) = (e.department ?? ticket.department, e.assignee ?? ticket.assignee)
        case .acted(let e, _): (department, assignee) = (e.department ?? ticket.department, e.assignee ?? ticket.assignee)
        case .unhappy: (department, assignee) = (ticket.department, ticket.assignee)
        }
        let resolved: NotificationRecipient?
        let wanted: String
        switch audience {
        case .customer:
            resolved = ticket.customerRecipient
            wanted = "customer:\(ticket.customer?.ref ?? "ticket-\(ticket.id)")"
        case .escalation:
            guard case .escalated(let e, _) = subject else { return NotificationRecipient(id: "unroutable", name: nil, locale: nil, addresses: [:]) }
            resolved = content.staff.resolve(e.notify, department: department, assignee: assignee)
            wanted = e.notify
        default:
            resolved = content.staff.resolve(audience, department: department, assignee: assignee)
            wanted = audience.rawValue
        }
        if let resolved { return resolved }
        logger.warning(
            "notification recipient not found in the customer record or staff directory",
            metadata: ["ticket_id": "\(ticket.id)", "audience": "\(audience.rawValue)", "wanted": "\(wanted)"])
        return NotificationRecipient(id: wanted, name: nil, locale: nil, addresses: [:])
    }

    /// The ticket's earlier escalation steps, oldest first, for the escalation message.
    static func history(of event: TicketEscalated, in db: PostgresConnection) throws -> [EscalationRecord] {
        try db.query(
            """
            SELECT metric, step, notify, escalated_at FROM escalations
            WHERE ticket_id = $1 AND NOT (metric = $2 AND step = $3) AND escalated_at <= $4
            ORDER BY escalated_at, step
            """,
            [.int(event.ticketId), .text(event.metric.rawValue), .int(Int64(event.step)), .timestamp(event.escalatedAt)]
        ).map { row in
            EscalationRecord(
                metric: try row.decode(String.self, at: 0), step: try row.decode(Int.self, at: 1), notify: try row.decode(String.self, at: 2),
                escalatedAt: try row.decode(Date.self, at: 3))
        }
    }

    func afterCommit(_ context: WorkerContext) throws {
        try dispatcher.deliverDue(db: context.db)
    }

    /// Picks up retries whose backoff ended and rows left by a replica that stopped mid-way.
    func tick(_ context: WorkerContext) throws {
        try dispatcher.deliverDue(db: context.db)
    }
}
