import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import Postgres

/// The producer's feedback handlers: submit one item or a batch, read a ticket, health.
/// ``ProducerRouter`` puts them behind authentication.
struct FeedbackRoutes: Sendable {
    /// Largest accepted body of `POST /v1/feedback`.
    static let maxBodyBytes = 64 * 1024
    /// Largest accepted body of `POST /v1/feedback:batch`.
    static let maxBatchBodyBytes = 8 * 1024 * 1024

    let pool: DatabasePool
    let intake: IntakeBatcher
    let wakeup: RelayWakeup
    /// Items a batch may hold (`FEEDLOOP_INTAKE_MAX_BATCH`).
    let maxBatchItems: Int
    let logger: Logger

    // MARK: POST /v1/feedback

    func submit(_ request: Request) async -> Response {
        let item: IntakeItem
        do {
            let body = try await JSONRequestBody.read(request, limit: Self.maxBodyBytes)
            let key = try IdempotencyKey.read(request.headers)
            item = IntakeItem(submission: try FeedbackSubmission.parse(json: body), idempotencyKey: key)
        } catch {
            return Self.refusal(error, invalid: "invalid feedback")
        }
        do {
            let (receipt, duplicate) = try await intake.store(item)
            IntakeMetrics.count(item.submission.channel, duplicate: duplicate)
            var logger = self.logger
            logger[metadataKey: "ticket_id"] = "\(receipt.ticketId)"
            let headers: HTTPFields = [.location: "/v1/tickets/\(receipt.ticketId)"]
            if duplicate {
                logger.debug("feedback resubmitted; returning the existing ticket", metadata: ["channel": "\(item.submission.channel.rawValue)"])
                return APIResponse.json(receipt, status: .ok, headers: headers)
            }
            wakeup.wake()
            logger.debug("feedback stored", metadata: ["channel": "\(item.submission.channel.rawValue)"])
            return APIResponse.json(receipt, status: .created, headers: headers)
        } catch {
            logger.error("storing feedback failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "feedback could not be stored; retry later")
        }
    }

    // MARK: POST /v1/feedback:batch

    /// All or nothing: every item is validated first, and the batch is stored in one
    /// transaction of its own.
    func submitBatch(_ request: Request) async -> Response {
        let items: [IntakeItem]
        do {
            let body = try await JSONRequestBody.read(request, limit: Self.maxBatchBodyBytes)
            let key = try IdempotencyKey.read(request.headers)
            let submissions = try FeedbackBatch.parse(json: body, maxItems: maxBatchItems)
            items = submissions.enumerated().map { IntakeItem(submission: $1, idempotencyKey: IdempotencyKey.forItem(key, index: $0)) }
        } catch let error as FeedbackBatchTooLarge {
            return APIResponse.error(
                .contentTooLarge, "the batch is too large",
                fields: [FieldError(field: "items", reason: "must hold at most \(error.limit) items, got \(error.count)")])
        } catch {
            return Self.refusal(error, invalid: "invalid batch: nothing was stored")
        }
        do {
            let outcomes = try await pool.withConnection { db in try IntakeBatcher.store(items, in: db) }
            let receipts = outcomes.enumerated().map { index, outcome in
                BatchItemReceipt(
                    index: index, ticketId: outcome.receipt.ticketId, state: outcome.receipt.state, status: outcome.duplicate ? "duplicate" : "created")
            }
            IntakeMetrics.count(items.map(\.submission.channel), duplicates: outcomes.map(\.duplicate))
            let created = outcomes.filter { !$0.duplicate }.count
            if created > 0 { wakeup.wake() }
            logger.debug("feedback batch stored", metadata: ["items": "\(items.count)", "created": "\(created)"])
            return APIResponse.json(
                BatchReceipt(created: created, duplicates: items.count - created, items: receipts), status: created > 0 ? .created : .ok)
        } catch {
            logger.error("storing a feedback batch failed", metadata: ["items": "\(items.count)", "error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the batch could not be stored (nothing was stored); retry later")
        }
    }

    /// Whether a Content-Type is JSON in UTF-8 (``JSONRequestBody/isJSONUTF8(_:)``), for routes
    /// that read their bodies themselves.
    static func isJSON(_ contentType: String?) -> Bool {
        JSONRequestBody.isJSONUTF8(contentType)
    }

    /// The response for a request refused before anything was stored.
    static func refusal(_ error: any Error, invalid message: String) -> Response {
        IntakeMetrics.rejected()
        return switch error {
        case let failure as APIFailure: failure.response
        case let error as FeedbackValidationError: APIResponse.error(.badRequest, message, fields: error.errors)
        default: APIResponse.error(.badRequest, message)
        }
    }

    // MARK: GET /v1/tickets/{id}

    func ticket(_ rawId: String?) async -> Response {
        guard let rawId, let id = Int64(rawId), id > 0 else {
            return APIResponse.error(.notFound, "no such ticket")
        }
        do {
            guard let view = try await pool.withConnection({ db in try TicketStore.find(id: id, in: db) }) else {
                return APIResponse.error(.notFound, "no such ticket")
            }
            return APIResponse.json(view, status: .ok)
        } catch {
            logger.error("reading a ticket failed", metadata: ["ticket_id": "\(id)", "error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the ticket could not be read; retry later")
        }
    }

    // MARK: GET /health

    func health() async -> Response {
        do {
            _ = try await pool.withConnection { db in try db.query("SELECT 1") }
            return APIResponse.json(["status": "ok"], status: .ok)
        } catch {
            logger.warning("health check: database unreachable", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.json(["status": "unavailable", "error": "database unreachable"], status: .serviceUnavailable)
        }
    }
}
