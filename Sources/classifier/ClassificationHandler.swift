import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// Classifies `received` tickets with the keyword classifier, grades and routes them, and moves
/// them to `open` — all of a batch in one multi-row UPDATE.
final class ClassificationHandler: MessageHandler {
    let classifier: KeywordClassifier

    init(classifier: KeywordClassifier) {
        self.classifier = classifier
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var results: [(event: FeedbackReceived, classification: Classification)] = []
        for m in messages {
            let event = try m.decode(FeedbackReceived.self).data
            results.append((event, classifier.classify(text: event.text, customerTier: event.customerTier)))
        }
        precondition(TicketStateMachine.canTransition(from: .received, to: .open))
        // Only tickets still `received` change: a ticket classified before (a requeue) is left alone.
        let rows = try db.query(
            """
            UPDATE tickets t SET state = 'open', category = u.category, subcategory = nullif(u.subcategory, ''),
                sentiment = u.sentiment, level = u.level, level_rule = u.level_rule, department = u.department,
                keywords = string_to_array(u.keywords, chr(31)), classified_at = now(), state_changed_at = now()
            FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::text[])
                AS u(id, category, subcategory, sentiment, level, level_rule, department, keywords)
            WHERE t.id = u.id AND t.state = 'received'
            RETURNING t.id, t.classified_at
            """,
            [
                .intArray(results.map(\.event.ticketId)),
                .textArray(results.map(\.classification.category.rawValue)),
                .textArray(results.map { $0.classification.subcategory ?? "" }),
                .textArray(results.map(\.classification.sentiment.rawValue)),
                .intArray(results.map { Int64($0.classification.level.rawValue) }),
                .textArray(results.map(\.classification.levelRule.rawValue)),
                .textArray(results.map(\.classification.department)),
                .textArray(results.map { $0.classification.keywords.joined(separator: "\u{1F}") }),
            ]
        )
        var classifiedAt: [Int64: Date] = [:]
        for row in rows {
            classifiedAt[try row.decode(Int64.self, at: 0)] = try row.decode(Date.self, at: 1)
        }
        let changed = results.filter { classifiedAt[$0.event.ticketId] != nil }
        guard !changed.isEmpty else { return [] }
        try db.query(
            """
            INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
            SELECT u.id, 'received', 'open', 'classifier', u.reason FROM unnest($1::int8[], $2::text[]) AS u(id, reason)
            """,
            [
                .intArray(changed.map(\.event.ticketId)),
                .textArray(
                    changed.map {
                        "category \($0.classification.category.rawValue), level \($0.classification.level.rawValue) by \($0.classification.levelRule.rawValue)"
                    }),
            ]
        )
        return try changed.map { event, c in
            let at = classifiedAt[event.ticketId]!
            return try .event(
                TicketClassified(
                    ticketId: event.ticketId, channel: event.channel, category: c.category, subcategory: c.subcategory,
                    sentiment: c.sentiment, level: c.level, levelRule: c.levelRule.rawValue, department: c.department,
                    customerTier: event.customerTier, receivedAt: event.receivedAt, classifiedAt: at
                ),
                at: at
            )
        }
    }
}
