import FeedloopCore
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore
import Postgres

/// The producer's HTTP API: submit feedback, read a ticket, health.
struct FeedbackRoutes: Sendable {
    /// Largest accepted request body.
    static let maxBodyBytes = 64 * 1024

    let pool: DatabasePool
    let intake: IntakeBatcher
    let wakeup: RelayWakeup
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/feedback") { request, _ in await self.submit(request) }
        router.get("/v1/tickets/{id}") { request, context in await self.ticket(context.parameters.get("id")) }
        router.get("/health") { _, _ in await self.health() }
    }

    // MARK: POST /v1/feedback

    func submit(_ request: Request) async -> Response {
        guard Self.isJSON(request.headers[.contentType]) else {
            return APIResponse.error(.unsupportedMediaType, "Content-Type must be application/json")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return APIResponse.error(.contentTooLarge, "request body is larger than \(Self.maxBodyBytes) bytes")
        } catch {
            return APIResponse.error(.badRequest, "request body could not be read")
        }
        let submission: FeedbackSubmission
        do {
            submission = try FeedbackSubmission.parse(json: Array(buffer: body))
        } catch let error as FeedbackValidationError {
            return APIResponse.error(.badRequest, "invalid feedback", fields: error.errors)
        } catch {
            return APIResponse.error(.badRequest, "invalid feedback")
        }

        do {
            let (receipt, duplicate) = try await intake.store(submission)
            var logger = self.logger
            logger[metadataKey: "ticket_id"] = "\(receipt.ticketId)"
            if duplicate {
                logger.debug("feedback resubmitted; returning the existing ticket", metadata: ["channel": "\(submission.channel.rawValue)"])
                return APIResponse.json(receipt, status: .ok, headers: [.location: "/v1/tickets/\(receipt.ticketId)"])
            }
            wakeup.wake()
            logger.debug("feedback stored", metadata: ["channel": "\(submission.channel.rawValue)"])
            return APIResponse.json(receipt, status: .created, headers: [.location: "/v1/tickets/\(receipt.ticketId)"])
        } catch {
            logger.error("storing feedback failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "feedback could not be stored; retry later")
        }
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
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
