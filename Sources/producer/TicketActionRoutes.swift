import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging

/// `POST /v1/tickets/{id}/{action}`: staff replying, recording a plan, waiting for the
/// customer, resolving, reopening, closing or assigning a ticket. Each is applied by
/// ``TicketActionStore`` with its event in the same transaction, so the escalator's clocks and
/// the notifier hear of it exactly as it was committed.
struct TicketActionRoutes: Sendable {
    /// Largest accepted body: a reply or plan of ``TicketActionRequest/maxNoteLength`` characters.
    static let maxBodyBytes = 64 * 1024

    let pool: DatabasePool
    let wakeup: RelayWakeup
    let logger: Logger

    /// What a caller may send: the text the customer sees (required for respond and plan) and
    /// an assignee (required for assign).
    struct Body: Decodable {
        var note: String?
        var assignee: String?
    }

    /// What happened, for the caller.
    struct Receipt: Encodable {
        var ticketId: Int64
        var action: TicketAction
        var actionId: Int64
        var fromState: TicketState
        var state: TicketState
        var assignee: String?
        var event: String
    }

    func apply(_ action: TicketAction, rawId: String?, request: Request, context: FeedloopRequestContext) async -> Response {
        guard let rawId, let id = Int64(rawId), id > 0 else {
            return APIResponse.error(.notFound, "no such ticket")
        }
        let body: Body
        do {
            let bytes = try await JSONRequestBody.read(request, limit: Self.maxBodyBytes)
            body = bytes.isEmpty ? Body() : try FeedloopJSON.decoder().decode(Body.self, from: Data(bytes))
        } catch let failure as APIFailure {
            return failure.response
        } catch {
            return APIResponse.error(.badRequest, "invalid body: expected {\"note\": text, \"assignee\": text}")
        }
        let actor = context.apiKey.map { "key:\($0.name)" } ?? "unknown"
        let request = TicketActionRequest(ticketId: id, action: action, actor: actor, note: body.note, assignee: body.assignee)
        var logger = self.logger
        logger[metadataKey: "ticket_id"] = "\(id)"
        logger[metadataKey: "action"] = "\(action.rawValue)"
        do {
            let result = try await pool.withConnection { db in
                try db.transaction { tx in
                    let result = try TicketActionStore.apply(request, in: tx)
                    _ = try Outbox.insert([result.message], relayAfter: .zero, in: tx)
                    return result
                }
            }
            wakeup.wake()
            let e = result.event
            logger.info("ticket action applied", metadata: ["from": "\(e.fromState.rawValue)", "to": "\(e.toState.rawValue)"])
            return APIResponse.json(
                Receipt(
                    ticketId: id, action: action, actionId: e.actionId, fromState: e.fromState, state: e.toState, assignee: e.assignee,
                    event: e.eventType.rawValue),
                status: .ok)
        } catch let error as TicketActionError {
            switch error {
            case .invalid(let problems):
                return APIResponse.error(.badRequest, "invalid \(action.pathComponent): nothing was changed", fields: problems)
            case .notFound:
                return APIResponse.error(.notFound, "no such ticket")
            case .forbidden(let refusal):
                logger.debug("ticket action refused", metadata: ["reason": "\(refusal.reason)"])
                return APIResponse.json(Refusal(error: refusal.description, code: refusal.code.description, state: refusal.from), status: .conflict)
            }
        } catch {
            logger.error("applying a ticket action failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the action could not be applied (nothing was changed); retry later")
        }
    }

    /// A 409's body: why, as a code scripts can test, and the ticket's current state.
    struct Refusal: Encodable {
        var error: String
        var code: String
        var state: TicketState
    }
}
