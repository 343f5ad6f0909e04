import FeedloopCore
import Foundation
import Postgres

/// Why a staff action was refused; nothing was changed.
public enum TicketActionError: Error, CustomStringConvertible, Sendable {
    /// The request itself is wrong (missing note, empty assignee): HTTP 400.
    case invalid([FieldError])
    /// No such ticket: HTTP 404.
    case notFound(Int64)
    /// The lifecycle forbids it in the ticket's state: HTTP 409.
    case forbidden(TicketTransitionError)

    public var description: String {
        switch self {
        case .invalid(let problems): return problems.map(\.description).joined(separator: "; ")
        case .notFound(let id): return "ticket \(id) does not exist"
        case .forbidden(let error): return error.description
        }
    }
}

/// What an applied action did.
public struct TicketActionResult: Sendable {
    public var event: TicketActed
    /// The event to commit with the change (already part of ``apply(_:in:)``'s contract: the
    /// caller puts it in the outbox in the same transaction).
    public var message: OutgoingMessage
}

/// Applies staff actions: the one place that checks them against the lifecycle, changes the
/// ticket and records who did what. Producer routes, `feedloopctl ticket` and the satisfaction
/// loop all come through here, so they agree on every rule.
public enum TicketActionStore {
    /// Locks the ticket, checks the action, updates state and assignee, records the action
    /// (and the transition when the state changes) and returns the event to commit with it.
    /// Must run inside a transaction; throws ``TicketActionError`` with nothing changed.
    public static func apply(_ request: TicketActionRequest, in tx: PostgresConnection) throws -> TicketActionResult {
        let problems = request.problems()
        guard problems.isEmpty else { throw TicketActionError.invalid(problems) }
        let rows = try tx.query(
            "SELECT state, assignee, department, level FROM tickets WHERE id = $1 FOR UPDATE", [.int(request.ticketId)])
        guard let row = rows.first else { throw TicketActionError.notFound(request.ticketId) }
        let stateText = try row.decode(String.self, at: 0)
        guard let from = TicketState(rawValue: stateText) else {
            throw PostgresError(.decodingFailed, message: "ticket \(request.ticketId) has unknown state \(stateText)")
        }
        let next: TicketState?
        do {
            next = try request.action.nextState(from: from)
        } catch let error as TicketTransitionError {
            throw TicketActionError.forbidden(error)
        }
        let to = next ?? from
        let trimmedAssignee = request.assignee?.trimmingCharacters(in: .whitespaces)
        let current = try row.decode(String?.self, at: 1)
        let assignee = (trimmedAssignee?.isEmpty == false ? trimmedAssignee : nil) ?? current
        let department = try row.decode(String?.self, at: 2)
        let level = try row.decode(Int?.self, at: 3).flatMap(Level.init(rawValue:))
        let note = request.note.flatMap { $0.isEmpty ? nil : $0 }

        let inserted = try tx.query(
            """
            WITH t AS (
                UPDATE tickets SET state = $2, assignee = $3,
                    state_changed_at = CASE WHEN state = $2 THEN state_changed_at ELSE now() END
                WHERE id = $1
            ), tr AS (
                INSERT INTO ticket_transitions (ticket_id, from_state, to_state, actor, reason)
                SELECT $1, $4, $2, $5, $6 WHERE $4 <> $2
            )
            INSERT INTO ticket_actions (ticket_id, action, from_state, to_state, actor, note, assignee)
            VALUES ($1, $7, $4, $2, $5, $8, $3)
            RETURNING id, at
            """,
            [
                .int(request.ticketId), .text(to.rawValue), assignee.map(PostgresBind.text) ?? .null, .text(from.rawValue),
                .text(request.actor), .text(request.action.rawValue), .text(request.action.rawValue), note.map(PostgresBind.text) ?? .null,
            ]
        )
        let actionId = try inserted[0].decode(Int64.self, at: 0)
        let at = try inserted[0].decode(Date.self, at: 1)
        let event = TicketActed(
            ticketId: request.ticketId, action: request.action, actionId: actionId, fromState: from, toState: to,
            actor: request.actor, note: note, assignee: assignee, department: department, level: level, actedAt: at)
        return TicketActionResult(event: event, message: try .event(event, at: at))
    }
}
