import FeedloopCore
import Postgres

/// Finds stuck tickets from the database (ARCHITECTURE §3 rule 6): `received` ones the
/// classifier never took, `open` ones the escalator never gave clocks, and `open` ones the
/// notifier never acknowledged. Oldest first.
struct StuckTicketQuery: Sendable {
    /// Seconds a ticket may stay `received` before it counts as stuck.
    var receivedAfter: Double = 60
    /// Seconds an `open` ticket may go without SLA clocks.
    var openWithoutClocksAfter: Double = 60
    /// Seconds an `open` ticket may go without its acknowledgement notification.
    var unacknowledgedAfter: Double = 60
    /// Only these states (`received`, `open`); nil for both.
    var states: Set<TicketState>?
    /// Only these tickets; nil for all.
    var ticketIds: [Int64]?
    /// At most this many rows; nil for all.
    var limit: Int?

    /// The states this query can find stuck tickets in.
    static let supportedStates: Set<TicketState> = [.received, .open]

    func run(on db: PostgresConnection) throws -> [StuckTicket] {
        let states = (self.states ?? Self.supportedStates).intersection(Self.supportedStates)
        // The acknowledgement's dedupe key is the notifier's: the ticket.classified message id
        // (`ticket.classified/<id>`) plus audience and purpose.
        let rows = try db.query(
            """
            WITH candidates AS (
                SELECT id, state, state_changed_at, extract(epoch FROM now() - state_changed_at)::float8 AS age
                FROM tickets
                WHERE state = ANY($1::text[]) AND ($2::int8[] IS NULL OR id = ANY($2::int8[]))
            )
            SELECT id, state, age, 'classification' FROM candidates
            WHERE state = 'received' AND age >= $3::float8
            UNION ALL
            SELECT id, state, age, 'sla_clocks' FROM candidates c
            WHERE state = 'open' AND age >= $4::float8
              AND NOT EXISTS (SELECT 1 FROM sla_clocks k WHERE k.ticket_id = c.id)
            UNION ALL
            SELECT id, state, age, 'acknowledgement' FROM candidates c
            WHERE state = 'open' AND age >= $5::float8
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = 'ticket.classified/' || c.id || '/customer/acknowledgement')
            ORDER BY 3 DESC, 1, 4
            LIMIT $6::int8
            """,
            [
                .textArray(states.map(\.rawValue).sorted()),
                ticketIds.map { .intArray($0) } ?? .null,
                .double(receivedAfter),
                .double(openWithoutClocksAfter),
                .double(unacknowledgedAfter),
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
                ageSeconds: try row.decode(Double.self, at: 2), waitingFor: waitingFor
            )
        }
    }
}
