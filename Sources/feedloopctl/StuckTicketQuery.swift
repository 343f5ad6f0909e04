import FeedloopCore
import Postgres

/// Finds stuck tickets from the database (ARCHITECTURE §3 rule 6), one row per ticket and
/// waiting step, the longest waiting first:
/// - `received` ones the classifier never took;
/// - classified ones (open to waiting_customer) the escalator never gave clocks;
/// - `open` ones the customer was never acknowledged for (no customer notification row for
///   ticket.classified);
/// - `resolved` ones without the customer's follow-up for the latest resolve action;
/// - tickets with a clock whose warning or ladder step is overdue (next_fire_at passed);
/// - tickets with pending notifications past their next attempt.
struct StuckTicketQuery: Sendable {
    var thresholds = StuckThresholds()
    /// Only these steps; nil for all.
    var steps: Set<WaitingStep>?
    /// Only tickets in these states; nil for all.
    var states: Set<String>?
    /// Only these tickets; nil for all.
    var ticketIds: [Int64]?
    /// At most this many rows; nil for all.
    var limit: Int?

    func run(on db: PostgresConnection) throws -> [StuckTicket] {
        let steps = self.steps ?? Set(WaitingStep.allCases)
        let rows = try db.query(
            """
            WITH candidates AS (
                SELECT id, state, classified_at, extract(epoch FROM now() - state_changed_at)::float8 AS age
                FROM tickets
                WHERE state IN ('received', 'open', 'acknowledged', 'in_progress', 'waiting_customer', 'resolved')
                  AND ($1::text[] IS NULL OR state = ANY($1::text[])) AND ($2::int8[] IS NULL OR id = ANY($2::int8[]))
            ), found AS (
                SELECT id, state, age, 'classification' AS step, NULL::int8[] AS notification_ids FROM candidates
                WHERE 'classification' = ANY($9::text[]) AND state = 'received' AND age >= $3::float8
                UNION ALL
                SELECT id, state, age, 'sla_clocks', NULL FROM candidates c
                WHERE 'sla_clocks' = ANY($9::text[]) AND state IN ('open', 'acknowledged', 'in_progress', 'waiting_customer')
                  AND c.classified_at IS NOT NULL AND c.classified_at <= now() - make_interval(secs => $4::float8)
                  AND NOT EXISTS (SELECT 1 FROM sla_clocks k WHERE k.ticket_id = c.id)
                UNION ALL
                SELECT id, state, age, 'acknowledgement', NULL FROM candidates c
                WHERE 'acknowledgement' = ANY($9::text[]) AND state = 'open' AND age >= $5::float8
                  AND NOT EXISTS (
                      SELECT 1 FROM notifications n WHERE n.ticket_id = c.id AND n.event_type = 'ticket.classified' AND n.audience = 'customer')
                UNION ALL
                SELECT c.id, c.state, c.age, 'follow_up', NULL FROM candidates c
                CROSS JOIN LATERAL (
                    SELECT max(a.id) AS action_id FROM ticket_actions a WHERE a.ticket_id = c.id AND a.action = 'resolve'
                ) last
                WHERE 'follow_up' = ANY($9::text[]) AND c.state = 'resolved' AND c.age >= $6::float8 AND last.action_id IS NOT NULL
                  AND NOT EXISTS (
                      SELECT 1 FROM notifications n
                      WHERE n.ticket_id = c.id AND n.event_type = 'ticket.resolved' AND n.audience = 'customer'
                        AND n.dedupe_key LIKE 'ticket.resolved/' || c.id || '/' || last.action_id || '/%')
                UNION ALL
                SELECT t.id, t.state, extract(epoch FROM now() - min(k.next_fire_at))::float8, 'escalation', NULL
                FROM sla_clocks k JOIN tickets t ON t.id = k.ticket_id
                WHERE 'escalation' = ANY($9::text[]) AND k.next_fire_at IS NOT NULL AND k.next_fire_at <= now() - make_interval(secs => $7::float8)
                  AND ($1::text[] IS NULL OR t.state = ANY($1::text[])) AND ($2::int8[] IS NULL OR t.id = ANY($2::int8[]))
                GROUP BY t.id, t.state
                UNION ALL
                SELECT t.id, t.state, extract(epoch FROM now() - min(n.next_attempt_at))::float8, 'notification_delivery', array_agg(n.id ORDER BY n.id)
                FROM notifications n JOIN tickets t ON t.id = n.ticket_id
                WHERE 'notification_delivery' = ANY($9::text[]) AND n.status = 'pending'
                  AND n.next_attempt_at <= now() - make_interval(secs => $8::float8)
                  AND ($1::text[] IS NULL OR t.state = ANY($1::text[])) AND ($2::int8[] IS NULL OR t.id = ANY($2::int8[]))
                GROUP BY t.id, t.state
            )
            SELECT id, state, age, step, notification_ids FROM found
            ORDER BY 3 DESC, 1, 4
            LIMIT $10::int8
            """,
            [
                states.map { .textArray($0.sorted()) } ?? .null,
                ticketIds.map { .intArray($0) } ?? .null,
                .double(thresholds.received),
                .double(thresholds.withoutClocks),
                .double(thresholds.unacknowledged),
                .double(thresholds.followUp),
                .double(thresholds.escalationLate),
                .double(thresholds.notificationLate),
                .textArray(steps.map(\.rawValue).sorted()),
                limit.map { .int(Int64($0)) } ?? .null,
            ]
        )
        return try rows.map { row in
            let step = try row.decode(String.self, at: 3)
            guard let waitingFor = WaitingStep(rawValue: step) else {
                throw PostgresError(.decodingFailed, message: "unknown waiting step \(step)")
            }
            return StuckTicket(
                ticketId: try row.decode(Int64.self, at: 0), state: try row.decode(String.self, at: 1),
                ageSeconds: try row.decode(Double.self, at: 2), waitingFor: waitingFor, notificationIds: try row.decode([Int64]?.self, at: 4)
            )
        }
    }
}
