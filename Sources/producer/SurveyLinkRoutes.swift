import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import Postgres

/// `GET /v1/survey-links/{token}` and `POST /v1/survey-links/{token}/responses`: the rating
/// link a resolved ticket's customer gets from the notifier. No API key: the signed token
/// (``SurveyLinkToken``) is the credential, and names the ticket and questionnaire, so the
/// customer can answer only for their own ticket, once, before the link expires.
///
/// Refusals: 403 forged (bad signature, or never issued), 410 expired (or the questionnaire is no
/// longer offered), 409 already used, 503 when `FEEDLOOP_SURVEY_LINK_SECRET` is not set. Nothing
/// is stored for any of them.
struct SurveyLinkRoutes: Sendable {
    let pool: DatabasePool
    let catalog: SurveyCatalog
    /// Nil when `FEEDLOOP_SURVEY_LINK_SECRET` is unset: every link is refused with 503.
    let secret: SurveyLinkSecret?
    let wakeup: RelayWakeup
    let logger: Logger

    /// What `GET` answers: the questionnaire to show.
    struct LinkedSurvey: Codable, Sendable {
        struct Question: Codable, Sendable {
            var id: String
            var label: LocalizedText
        }

        var surveyId: String
        var ticketId: Int64
        var title: LocalizedText
        /// Each scored 1–5 under `scores` in the answer.
        var dimensions: [Question]
        var overall: LocalizedText
        var nps: LocalizedText?
        var comment: LocalizedText?
        var expiresAt: Date
    }

    /// A verified token with its questionnaire, or the response that refuses it.
    private func check(_ text: String) -> Result<(SurveyLinkToken, Questionnaire), APIFailure> {
        guard let secret else { return .failure(APIFailure(.serviceUnavailable, "survey links are not configured on this server")) }
        let token: SurveyLinkToken
        do {
            token = try SurveyLinkToken.verify(text, with: secret, now: Date())
        } catch {
            switch error {
            case .forged: return .failure(APIFailure(.forbidden, error.description))
            case .expired: return .failure(APIFailure(.gone, error.description))
            }
        }
        guard let questionnaire = catalog[token.surveyId] else {
            return .failure(APIFailure(.gone, "the survey this link opens is no longer offered"))
        }
        return .success((token, questionnaire))
    }

    /// The state of a link's row: nil when it was never issued.
    private static func usedAt(_ token: SurveyLinkToken, in db: PostgresConnection, lock: Bool) throws -> Date?? {
        let rows = try db.query(
            "SELECT used_at FROM survey_links WHERE token_id = $1 AND ticket_id = $2" + (lock ? " FOR UPDATE" : ""),
            [.text(token.nonce), .int(token.ticketId)])
        guard let row = rows.first else { return nil }
        return .some(try row.decode(Date?.self, at: 0))
    }

    /// The questionnaire behind a link, while it can still be answered.
    func show(token text: String) async -> Response {
        let token: SurveyLinkToken
        let questionnaire: Questionnaire
        switch check(text) {
        case .failure(let failure): return failure.response
        case .success(let checked): (token, questionnaire) = checked
        }
        do {
            let state = try await pool.withConnection { db in try Self.usedAt(token, in: db, lock: false) }
            switch state {
            case .none: return APIResponse.error(.forbidden, SurveyLinkError.forged.description)
            case .some(.some): return APIResponse.error(.conflict, "the survey link was already used")
            case .some(.none): break
            }
        } catch {
            logger.error("reading a survey link failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the survey link could not be checked; retry later")
        }
        let survey = LinkedSurvey(
            surveyId: questionnaire.id, ticketId: token.ticketId, title: questionnaire.title,
            dimensions: questionnaire.dimensions.map { LinkedSurvey.Question(id: $0.id, label: $0.label) }, overall: questionnaire.overall,
            nps: questionnaire.nps, comment: questionnaire.comment, expiresAt: token.expiresAt)
        return APIResponse.json(survey, status: .ok)
    }

    /// Stores the answer given through a link and marks the link used, in one transaction.
    /// The body is a survey answer without `respondent` and `ticket_id`, which the link sets.
    func submit(_ request: Request, token text: String) async -> Response {
        let token: SurveyLinkToken
        let questionnaire: Questionnaire
        switch check(text) {
        case .failure(let failure): return failure.response
        case .success(let checked): (token, questionnaire) = checked
        }
        let body: [UInt8]
        do {
            body = try await JSONRequestBody.read(request, limit: SurveyRoutes.maxBodyBytes)
        } catch let failure as APIFailure {
            return failure.response
        } catch {
            return APIResponse.error(.badRequest, "request body could not be read")
        }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return APIResponse.error(.badRequest, "invalid survey response", fields: [FieldError(field: "body", reason: "must be a JSON object")])
        }
        let setByLink = ["respondent", "ticket_id"].filter { object[$0] != nil }
        guard setByLink.isEmpty else {
            return APIResponse.error(
                .badRequest, "invalid survey response", fields: setByLink.map { FieldError(field: $0, reason: "is set by the survey link; leave it out") })
        }
        object["ticket_id"] = token.ticketId
        // The link's own id by default, so that a retried POST cannot store a second answer.
        if object["response_id"] == nil { object["response_id"] = "link-" + token.nonce }

        var logger = self.logger
        logger[metadataKey: "survey"] = "\(questionnaire.id)"
        logger[metadataKey: "ticket_id"] = "\(token.ticketId)"
        do {
            let ticketId = token.ticketId
            guard let respondent = try await pool.withConnection({ db in try Self.respondent(of: ticketId, in: db) }) else {
                return APIResponse.error(.gone, "the ticket this link follows up no longer exists")
            }
            object["respondent"] = respondent
            let answer: SurveyAnswer
            do {
                let json = try JSONSerialization.data(withJSONObject: object)
                answer = try SurveyAnswer.parse(json: Array(json), for: questionnaire, receivedAt: Date())
            } catch let error as SurveyValidationError {
                return APIResponse.error(.badRequest, "invalid survey response", fields: error.errors)
            }
            let flags = SurveyValidity.flags(of: answer, for: questionnaire)
            let outcome: LinkOutcome = try await pool.withConnection { db in
                try db.transaction { tx in
                    switch try Self.usedAt(token, in: tx, lock: true) {
                    case .none: return .refused(APIFailure(.forbidden, SurveyLinkError.forged.description))
                    case .some(.some): return .refused(APIFailure(.conflict, "the survey link was already used"))
                    case .some(.none): break
                    }
                    let receipt: SurveyReceipt
                    switch try SurveyResponseStore.store(answer, of: questionnaire, flags: flags, inTransaction: tx) {
                    case .stored(let r), .existing(let r): receipt = r
                    case .unknownTicket: return .refused(APIFailure(.gone, "the ticket this link follows up no longer exists"))
                    }
                    try tx.query(
                        "UPDATE survey_links SET used_at = now(), response_id = $2 WHERE token_id = $1", [.text(token.nonce), .text(receipt.responseId)])
                    return .stored(receipt)
                }
            }
            switch outcome {
            case .refused(let failure):
                return failure.response
            case .stored(let receipt):
                wakeup.wake()
                logger.debug("survey answer stored through a link", metadata: ["response_id": "\(receipt.responseId)", "valid": "\(receipt.valid)"])
                return APIResponse.json(receipt, status: .created)
            }
        } catch {
            logger.error("storing a survey answer through a link failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the survey response could not be stored; retry later")
        }
    }

    private enum LinkOutcome: Sendable {
        case stored(SurveyReceipt)
        /// Refused before anything was written; the transaction commits nothing.
        case refused(APIFailure)
    }

    /// Who answers through a ticket's link: its customer's reference, or `ticket:<id>` for a
    /// ticket without one (the repeat check needs a respondent); nil when the ticket is gone.
    static func respondent(of ticketId: Int64, in db: PostgresConnection) throws -> String? {
        let rows = try db.query("SELECT coalesce(nullif(customer_ref, ''), 'ticket:' || id) FROM tickets WHERE id = $1", [.int(ticketId)])
        return try rows.first?.decode(String.self, at: 0)
    }
}
