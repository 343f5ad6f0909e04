import FeedloopCore
import Foundation
import Postgres

extension TicketEventBuilder {
    /// The latest resolve action of each ticket in `ids`, as ticket.resolved was published
    /// from it (TicketActionStore): its action id is part of the message id.
    static func latestResolved(_ ids: [Int64], from db: PostgresConnection) throws -> [Int64: TicketActed] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT DISTINCT ON (a.ticket_id) a.ticket_id, a.id, a.from_state, a.to_state, a.actor, a.note, a.assignee, a.at,
                   t.department, t.level::int8
            FROM ticket_actions a JOIN tickets t ON t.id = a.ticket_id
            WHERE a.ticket_id = ANY($1::int8[]) AND a.action = 'resolve'
            ORDER BY a.ticket_id, a.id DESC
            """,
            [.intArray(ids)]
        )
        var result: [Int64: TicketActed] = [:]
        for r in rows {
            let ticketId = try r.decode(Int64.self, at: 0)
            let from = try r.decode(String.self, at: 2)
            let to = try r.decode(String.self, at: 3)
            guard let fromState = TicketState(rawValue: from), let toState = TicketState(rawValue: to) else {
                throw RebuildError("ticket \(ticketId) has a resolve action with unknown states \(from) → \(to)")
            }
            let level = try r.decode(Int?.self, at: 9)
            result[ticketId] = TicketActed(
                ticketId: ticketId, action: .resolve, actionId: try r.decode(Int64.self, at: 1), fromState: fromState, toState: toState,
                actor: try r.decode(String.self, at: 4), note: try r.decode(String?.self, at: 5), assignee: try r.decode(String?.self, at: 6),
                department: try r.decode(String?.self, at: 8), level: level.flatMap(Level.init(rawValue:)), actedAt: try r.decode(Date.self, at: 7)
            )
        }
        return result
    }
}
