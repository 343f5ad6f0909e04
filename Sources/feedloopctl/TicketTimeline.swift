import FeedloopCore
import Foundation
import Postgres

/// Everything that happened to one ticket, from the database, in time order: intake,
/// classification, state changes, staff actions, SLA clocks, escalations, notifications and
/// survey answers. Customer data is masked (``PersonalDataMask``); addresses are not shown.
struct TicketTimeline: Encodable {
    struct Ticket: Encodable {
        var id: Int64
        var state: String
        var channel: String
        var externalId: String?
        var customer: Customer?
        var category: String?
        var subcategory: String?
        var sentiment: String?
        var level: Int?
        var levelRule: String?
        var department: String?
        var assignee: String?
        var receivedAt: Date
        var classifiedAt: Date?
        var stateChangedAt: Date
        /// The feedback text with emails and phone numbers masked.
        var body: String
    }

    struct Customer: Encodable {
        var ref: String?
        var tier: String?
        var name: String?
        var phone: String?
        var email: String?
    }

    struct Clock: Encodable {
        var metric: String
        var cycle: Int
        var state: String
        var startedAt: Date
        var targetSeconds: Double
        var dueAt: Date?
        var warnedAt: Date?
        var breachedAt: Date?
        var stoppedAt: Date?
        var escalationStep: Int
        var nextFireAt: Date?
    }

    struct Escalation: Encodable {
        var metric: String
        var cycle: Int
        var step: Int
        var notify: String
        var assignee: String?
        var department: String?
        var reason: String?
        var dueAt: Date
        var escalatedAt: Date
    }

    struct Notification: Encodable {
        var id: Int64
        var eventType: String
        var audience: String
        var channel: String
        var status: String
        var attempts: Int
        var createdAt: Date
        var sentAt: Date?
        var nextAttemptAt: Date?
        var heldReason: String?
        var deadReason: String?
        var deadAt: Date?
    }

    struct SurveyAnswer: Encodable {
        var surveyId: String
        var overall: Int
        var nps: Int?
        var valid: Bool
        var flags: [String]
        var comment: String?
        var submittedAt: Date
    }

    /// One line of the timeline.
    struct Entry: Encodable {
        var at: Date
        /// received, classified, transition, action, clock_started, clock_warned, clock_breached,
        /// clock_stopped, escalation, notification, notification_sent, notification_dead, survey_answer.
        var kind: String
        var summary: String
    }

    var ticket: Ticket
    var clocks: [Clock] = []
    var escalations: [Escalation] = []
    var notifications: [Notification] = []
    var surveyAnswers: [SurveyAnswer] = []
    var timeline: [Entry] = []

    /// The ticket's timeline, or nil when there is no such ticket.
    static func load(_ id: Int64, from db: PostgresConnection) throws -> TicketTimeline? {
        let rows = try db.query(
            """
            SELECT t.id, t.state, t.channel, t.external_id, t.category, t.subcategory, t.sentiment, t.level::int8, t.level_rule, t.department,
                   t.assignee, t.received_at, t.classified_at, t.state_changed_at, t.body,
                   coalesce(c.external_ref, t.customer_ref), coalesce(c.tier, t.customer_tier), c.name, c.phone, c.email
            FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id = $1
            """,
            [.int(id)]
        )
        guard let r = rows.first else { return nil }
        let ref = try r.decode(String?.self, at: 15)
        let name = try r.decode(String?.self, at: 17)
        let phone = try r.decode(String?.self, at: 18)
        let email = try r.decode(String?.self, at: 19)
        let tier = try r.decode(String?.self, at: 16)
        let customer =
            [ref, tier, name, phone, email].allSatisfy { $0 == nil }
            ? nil
            : Customer(
                ref: ref.map(PersonalDataMask.name), tier: tier, name: name.map(PersonalDataMask.name), phone: phone.map(PersonalDataMask.phone),
                email: email.map(PersonalDataMask.email))
        var result = TicketTimeline(
            ticket: Ticket(
                id: try r.decode(Int64.self, at: 0), state: try r.decode(String.self, at: 1), channel: try r.decode(String.self, at: 2),
                externalId: try r.decode(String?.self, at: 3), customer: customer, category: try r.decode(String?.self, at: 4),
                subcategory: try r.decode(String?.self, at: 5), sentiment: try r.decode(String?.self, at: 6), level: try r.decode(Int?.self, at: 7),
                levelRule: try r.decode(String?.self, at: 8), department: try r.decode(String?.self, at: 9), assignee: try r.decode(String?.self, at: 10),
                receivedAt: try r.decode(Date.self, at: 11), classifiedAt: try r.decode(Date?.self, at: 12),
                stateChangedAt: try r.decode(Date.self, at: 13), body: MaskedJSON.maskText(try r.decode(String.self, at: 14))
            )
        )
        try result.loadHistory(db)
        result.buildTimeline()
        return result
    }

    private mutating func loadHistory(_ db: PostgresConnection) throws {
        let id = PostgresBind.int(ticket.id)
        for r in try db.query(
            """
            SELECT metric, cycle, state, started_at, target_seconds, due_at, warned_at, breached_at, stopped_at, escalation_step, next_fire_at
            FROM sla_clocks WHERE ticket_id = $1 ORDER BY started_at, metric, cycle
            """, [id])
        {
            clocks.append(
                Clock(
                    metric: try r.decode(String.self, at: 0), cycle: try r.decode(Int.self, at: 1), state: try r.decode(String.self, at: 2),
                    startedAt: try r.decode(Date.self, at: 3), targetSeconds: try r.decode(Double.self, at: 4), dueAt: try r.decode(Date?.self, at: 5),
                    warnedAt: try r.decode(Date?.self, at: 6), breachedAt: try r.decode(Date?.self, at: 7), stoppedAt: try r.decode(Date?.self, at: 8),
                    escalationStep: try r.decode(Int.self, at: 9), nextFireAt: try r.decode(Date?.self, at: 10)))
        }
        for r in try db.query(
            """
            SELECT metric, cycle, step, notify, assignee, department, reason, due_at, escalated_at
            FROM escalations WHERE ticket_id = $1 ORDER BY escalated_at, metric, step
            """, [id])
        {
            escalations.append(
                Escalation(
                    metric: try r.decode(String.self, at: 0), cycle: try r.decode(Int.self, at: 1), step: try r.decode(Int.self, at: 2),
                    notify: try r.decode(String.self, at: 3), assignee: try r.decode(String?.self, at: 4), department: try r.decode(String?.self, at: 5),
                    reason: try r.decode(String?.self, at: 6), dueAt: try r.decode(Date.self, at: 7), escalatedAt: try r.decode(Date.self, at: 8)))
        }
        for r in try db.query(
            """
            SELECT id, event_type, audience, channel, status, attempts, created_at, sent_at,
                   CASE WHEN status = 'pending' THEN next_attempt_at END, held_reason, dead_reason, dead_at
            FROM notifications WHERE ticket_id = $1 ORDER BY created_at, id
            """, [id])
        {
            notifications.append(
                Notification(
                    id: try r.decode(Int64.self, at: 0), eventType: try r.decode(String.self, at: 1), audience: try r.decode(String.self, at: 2),
                    channel: try r.decode(String.self, at: 3), status: try r.decode(String.self, at: 4), attempts: try r.decode(Int.self, at: 5),
                    createdAt: try r.decode(Date.self, at: 6), sentAt: try r.decode(Date?.self, at: 7), nextAttemptAt: try r.decode(Date?.self, at: 8),
                    heldReason: try r.decode(String?.self, at: 9), deadReason: try r.decode(String?.self, at: 10).map(MaskedJSON.maskText),
                    deadAt: try r.decode(Date?.self, at: 11)))
        }
        for r in try db.query(
            "SELECT survey_id, overall::int8, nps::int8, valid, flags, comment, submitted_at FROM survey_responses WHERE ticket_id = $1 ORDER BY submitted_at",
            [id])
        {
            surveyAnswers.append(
                SurveyAnswer(
                    surveyId: try r.decode(String.self, at: 0), overall: try r.decode(Int.self, at: 1), nps: try r.decode(Int?.self, at: 2),
                    valid: try r.decode(Bool.self, at: 3), flags: try r.decode([String].self, at: 4),
                    comment: try r.decode(String?.self, at: 5).map(MaskedJSON.maskText), submittedAt: try r.decode(Date.self, at: 6)))
        }
        // Transitions and actions are read last into the timeline directly: they have no section of their own.
        for r in try db.query(
            """
            SELECT at, 'transition', coalesce(from_state, '-') || ' → ' || to_state || ' by ' || actor || coalesce(' (' || reason || ')', '')
            FROM ticket_transitions WHERE ticket_id = $1
            UNION ALL
            SELECT at, 'action', action || ' by ' || actor || coalesce(', assignee ' || assignee, '') || coalesce(': ' || note, '')
            FROM ticket_actions WHERE ticket_id = $1
            """, [id])
        {
            timeline.append(
                Entry(
                    at: try r.decode(Date.self, at: 0), kind: try r.decode(String.self, at: 1), summary: MaskedJSON.maskText(try r.decode(String.self, at: 2))))
        }
    }

    /// Merges every section into ``timeline``, oldest first (ties keep the order of the story:
    /// intake, classification, state changes, actions, clocks, escalations, notifications, answers).
    private mutating func buildTimeline() {
        var entries = [Entry(at: ticket.receivedAt, kind: "received", summary: "feedback received via \(ticket.channel)")]
        if let at = ticket.classifiedAt {
            let level = ticket.level.map { "L\($0)" } ?? "-"
            entries.append(
                Entry(
                    at: at, kind: "classified",
                    summary:
                        "\(ticket.category ?? "-")\(ticket.subcategory.map { "/\($0)" } ?? ""), \(ticket.sentiment ?? "-"), \(level)\(ticket.levelRule.map { " (\($0))" } ?? ""), department \(ticket.department ?? "-")"
                ))
        }
        entries += timeline
        for c in clocks {
            let name = "\(c.metric)\(c.cycle > 1 ? " (cycle \(c.cycle))" : "")"
            let due = c.dueAt.map { ", due \(FeedloopJSON.formatTimestamp($0))" } ?? ""
            entries.append(
                Entry(at: c.startedAt, kind: "clock_started", summary: "\(name) clock started, target \(AgeText.format(seconds: c.targetSeconds))\(due)"))
            if let at = c.warnedAt { entries.append(Entry(at: at, kind: "clock_warned", summary: "\(name) clock warning")) }
            if let at = c.breachedAt { entries.append(Entry(at: at, kind: "clock_breached", summary: "\(name) clock breached")) }
            if let at = c.stoppedAt { entries.append(Entry(at: at, kind: "clock_stopped", summary: "\(name) clock stopped (\(c.state))")) }
        }
        for e in escalations {
            let who = e.assignee ?? e.notify
            entries.append(
                Entry(at: e.escalatedAt, kind: "escalation", summary: "\(e.metric) escalation step \(e.step) to \(who)\(e.reason.map { " (\($0))" } ?? "")"))
        }
        for n in notifications {
            let held = n.heldReason.map { ", held: \($0)" } ?? ""
            entries.append(
                Entry(
                    at: n.createdAt, kind: "notification",
                    summary: "\(n.eventType) → \(n.audience) via \(n.channel): \(n.status), \(n.attempts) attempt(s)\(held)"))
            if let at = n.sentAt { entries.append(Entry(at: at, kind: "notification_sent", summary: "\(n.eventType) → \(n.audience) sent via \(n.channel)")) }
            if n.status == "dead" {
                entries.append(
                    Entry(at: n.deadAt ?? n.createdAt, kind: "notification_dead", summary: "\(n.eventType) → \(n.audience) dead: \(n.deadReason ?? "-")"))
            }
        }
        for a in surveyAnswers {
            let nps = a.nps.map { ", NPS \($0)" } ?? ""
            let validity = a.valid ? "valid" : "flagged \(a.flags.joined(separator: ","))"
            entries.append(
                Entry(
                    at: a.submittedAt, kind: "survey_answer",
                    summary: "\(a.surveyId): overall \(a.overall)\(nps), \(validity)\(a.comment.map { ": \($0)" } ?? "")"))
        }
        // A stable sort: entries at the same instant keep the order above.
        timeline = entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
