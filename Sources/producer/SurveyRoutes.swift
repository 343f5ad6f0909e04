import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import Postgres

/// `POST /v1/surveys/{survey}/responses`: survey answers, stored with validity flags.
/// Routing and authentication (roles `intake` and `admin`) are the server's.
struct SurveyRoutes: Sendable {
    /// Largest accepted request body.
    static let maxBodyBytes = 64 * 1024

    let pool: DatabasePool
    let catalog: SurveyCatalog
    let wakeup: RelayWakeup
    let logger: Logger

    init(pool: DatabasePool, catalog: SurveyCatalog, wakeup: RelayWakeup, logger: Logger) {
        self.pool = pool
        self.catalog = catalog
        self.wakeup = wakeup
        self.logger = logger
    }

    /// Stores one answer to the questionnaire `surveyID`.
    ///
    /// Request (`Content-Type: application/json`, at most 64 KiB):
    /// ```
    /// {"respondent": "c-9",                      required, 1–200 characters (a customer reference)
    ///  "ticket_id": 42,                          required, optional or refused as the survey says
    ///  "started_at": "2026-11-23T08:15:00Z",     required, when the questionnaire was opened
    ///  "submitted_at": "2026-11-23T08:16:10Z",   optional; the server's clock when absent
    ///  "scores": {"attitude": 4, ...},           required, every dimension, integers 1–5
    ///  "overall": 4,                             required, integer 1–5
    ///  "nps": 9,                                 optional integer 0–10, if the survey asks it
    ///  "comment": "...",                         optional, at most 5000 characters
    ///  "response_id": "r-1"}                     optional client id; a retry with it returns the first
    /// ```
    /// Responses:
    /// - 201 `{"response_id": "...", "valid": true, "flags": []}`: stored. Implausible answers are
    ///   stored too, with `valid: false` and flags such as
    ///   `{"flag": "too_fast", "reason": "answered in 12.0 s, less than the minimum of 30 s"}`;
    ///   flags are `too_fast`, `straight_lining`, `contradictory` (reason names the rule), `repeat`.
    /// - 200, same body: the `response_id` was stored before (an idempotent retry).
    /// - 400 `{"error": "invalid survey response", "fields": [{"field": "scores.attitude",
    ///   "reason": "must be an integer 1–5, got 7"}]}`: every structural problem, one per field.
    /// - 404 `{"error": "no such survey"}`; 415 not JSON; 413 body too large.
    /// - 422 `{"error": ..., "fields": [{"field": "ticket_id", "reason": "no ticket 42"}]}`.
    /// - 503 the database is unavailable; retry with the same `response_id`.
    ///
    /// Nothing is stored for a 4xx. Each stored answer commits a `survey.answered` event.
    func submit(_ request: Request, surveyID: String) async -> Response {
        guard let questionnaire = catalog[surveyID] else {
            return APIResponse.error(.notFound, "no such survey")
        }
        let body: [UInt8]
        do {
            body = try await JSONRequestBody.read(request, limit: Self.maxBodyBytes)
        } catch let failure as APIFailure {
            return failure.response
        } catch {
            return APIResponse.error(.badRequest, "request body could not be read")
        }
        let answer: SurveyAnswer
        do {
            answer = try SurveyAnswer.parse(json: body, for: questionnaire, receivedAt: Date())
        } catch let error as SurveyValidationError {
            return APIResponse.error(.badRequest, "invalid survey response", fields: error.errors)
        } catch {
            return APIResponse.error(.badRequest, "invalid survey response")
        }

        let flags = SurveyValidity.flags(of: answer, for: questionnaire)
        var logger = self.logger
        logger[metadataKey: "survey"] = "\(questionnaire.id)"
        do {
            let outcome = try await pool.withConnection { db in
                try SurveyResponseStore.store(answer, of: questionnaire, flags: flags, in: db)
            }
            switch outcome {
            case .stored(let receipt):
                wakeup.wake()
                logger.debug(
                    "survey response stored",
                    metadata: ["response_id": "\(receipt.responseId)", "valid": "\(receipt.valid)", "flags": "\(receipt.flags.map(\.flag.rawValue))"]
                )
                return APIResponse.json(receipt, status: .created)
            case .existing(let receipt):
                logger.debug("survey response resubmitted; returning the stored one", metadata: ["response_id": "\(receipt.responseId)"])
                return APIResponse.json(receipt, status: .ok)
            case .unknownTicket(let id):
                return APIResponse.error(
                    .unprocessableContent, "the survey follows up a ticket that does not exist",
                    fields: [FieldError(field: "ticket_id", reason: "no ticket \(id)")]
                )
            }
        } catch {
            logger.error("storing a survey response failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the survey response could not be stored; retry later")
        }
    }
}
