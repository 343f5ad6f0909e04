import FeedloopCore
import FeedloopRuntime
import Foundation

/// The variables a template sees. Every message of one event and audience gets the same set
/// of names whatever the ticket (absent values are empty text with a `has_…` flag false), so
/// that rendering each template against a sample at start (``TemplateSet``) proves every name
/// it uses exists at send time.
///
/// Personal data is split by audience: only the customer's own messages get `customer_name`
/// and `your_feedback`; staff messages get `customer_masked_*` instead, so a staff template
/// that asks for the customer's name fails the start-up check.
enum TemplateContext {
    static func variables(
        _ subject: MessageSubject, ticket: TicketFacts, audience: NotificationAudience, recipient: NotificationRecipient, format: MessageFormatter
    ) -> [String: Any] {
        var v: [String: Any] = [
            "event": subject.eventType.rawValue,
            "ticket_id": ticket.id,
            "category": ticket.category ?? "",
            "subcategory": ticket.subcategory ?? "",
            "has_subcategory": ticket.subcategory?.isEmpty == false,
            "level": format.level(ticket.level),
            "department": ticket.department ?? "",
            "channel": ticket.channel,
            "received_at": format.date(ticket.receivedAt),
            "recipient_name": recipient.name ?? "",
            "has_recipient_name": recipient.name?.isEmpty == false,
        ]
        let customer = ticket.customer
        if audience == .customer {
            v["customer_name"] = customer?.name ?? ""
            v["has_customer_name"] = customer?.name?.isEmpty == false
            v["your_feedback"] = excerpt(ticket.text)
        } else {
            v["customer_ref"] = customer?.ref ?? ""
            v["customer_tier"] = customer?.tier ?? ""
            v["customer_masked_name"] = customer?.name.map(PersonalDataMask.name) ?? ""
            v["customer_masked_phone"] = customer?.phone.map(PersonalDataMask.phone) ?? ""
            v["customer_masked_email"] = customer?.email.map(PersonalDataMask.email) ?? ""
            v["assignee"] = ticket.assignee ?? ""
            v["has_assignee"] = ticket.assignee?.isEmpty == false
        }
        switch subject {
        case .classified(let event):
            let targets = SLATargets.default(for: event.level, tier: event.customerTier)
            for metric in SLAMetric.allCases {
                let key = metric.rawValue
                let duration = targets.duration(for: metric)
                let seconds = duration.map { Double($0.components.seconds) } ?? 0
                v["has_\(key)_due"] = duration != nil
                v["\(key)_within"] = duration == nil ? "" : format.duration(seconds: seconds)
                v["\(key)_due"] = duration == nil ? "" : format.date(event.receivedAt.addingTimeInterval(seconds))
            }
            v["level"] = format.level(event.level)
            v["department"] = event.department
            v["sentiment"] = event.sentiment.rawValue
        case .slaWarning(let event):
            v["metric"] = format.metric(event.metric)
            v["due_at"] = format.date(event.dueAt)
            v["share_percent"] = Int((event.share * 100).rounded())
            v["time_left"] = format.duration(seconds: event.dueAt.timeIntervalSince(event.warnedAt))
            v["cycle"] = event.cycle
        case .escalated(let event, let history):
            v["metric"] = format.metric(event.metric)
            v["step"] = event.step
            v["notify_role"] = format.role(event.notify)
            v["due_at"] = format.date(event.dueAt)
            v["escalated_at"] = format.date(event.escalatedAt)
            v["late_by"] = format.duration(seconds: event.escalatedAt.timeIntervalSince(event.dueAt))
            v["reason"] = event.reason ?? ""
            v["has_reason"] = event.reason?.isEmpty == false
            v["cycle"] = event.cycle
            v["history"] = history.map { record -> [String: Any] in
                [
                    "history_step": record.step, "history_metric": SLAMetric(rawValue: record.metric).map(format.metric) ?? record.metric,
                    "history_notify": format.role(record.notify), "history_at": format.date(record.escalatedAt),
                ]
            }
            v["has_history"] = !history.isEmpty
        case .acted(let event, let link):
            v["note"] = event.note ?? ""
            v["has_note"] = event.note?.isEmpty == false
            v["acted_at"] = format.date(event.actedAt)
            v["state"] = event.toState.rawValue
            v["reopened_by_survey"] = event.action == .reopen && event.actor == "survey"
            v["survey_link"] = link?.url ?? ""
            v["survey_expires_at"] = link.map { format.date($0.expiresAt) } ?? ""
            v["has_survey_link"] = link != nil
        case .unhappy(let answer, let threshold, let reopened):
            v["overall"] = answer.overall
            v["nps"] = answer.nps.map(String.init) ?? ""
            v["has_nps"] = answer.nps != nil
            v["unhappy_threshold"] = threshold
            v["reopened"] = reopened
            v["scores"] = answer.scores.map { ["score_dimension": $0.dimension, "score_value": $0.score] as [String: Any] }
        }
        return v
    }

    /// The first 500 characters of the customer's text, for their own acknowledgement.
    static func excerpt(_ text: String) -> String {
        text.count > 500 ? String(text.prefix(500)) + "…" : text
    }
}
