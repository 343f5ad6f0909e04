import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// What the API answers for a stored survey response (201 when new, 200 for a retry).
struct SurveyReceipt: Codable, Sendable, Equatable {
    var responseId: String
    var valid: Bool
    var flags: [SurveyFlag]
}

/// The producer's SQL for survey answers: one transaction per answer that decides the
/// `repeat` flag, stores the row and its survey.answered event.
enum SurveyResponseStore {
    enum Outcome: Sendable {
        case stored(SurveyReceipt)
        /// The same (survey, response_id) was stored before: a client retry.
        case existing(SurveyReceipt)
        /// The answer names a ticket that does not exist; nothing was stored.
        case unknownTicket(Int64)
    }

    /// Stores `answer` with its flags plus the `repeat` flag, and its event in the outbox.
    ///
    /// The repeat check and the insert run under a transaction-level advisory lock on
    /// (survey, respondent, ticket), so that of concurrent first answers exactly one is
    /// stored before the others look: the first stays valid, the rest are flagged.
    static func store(
        _ answer: SurveyAnswer, of questionnaire: Questionnaire, flags: [SurveyFlag], in db: PostgresConnection
    ) throws -> Outcome {
        try db.transaction { tx in try store(answer, of: questionnaire, flags: flags, inTransaction: tx) }
    }

    /// ``store(_:of:flags:in:)`` inside the caller's transaction, for a caller that commits
    /// more with the answer (a survey link marked used).
    static func store(
        _ answer: SurveyAnswer, of questionnaire: Questionnaire, flags: [SurveyFlag], inTransaction tx: PostgresConnection
    ) throws -> Outcome {
        do {
            let lockKey = [questionnaire.id, answer.respondent, answer.ticketId.map(String.init) ?? ""].joined(separator: "\u{1F}")
            try tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(lockKey)])

            if let responseId = answer.responseId, let receipt = try existing(survey: questionnaire.id, responseId: responseId, in: tx) {
                return .existing(receipt)
            }
            if let ticketId = answer.ticketId, try tx.query("SELECT 1 FROM tickets WHERE id = $1", [.int(ticketId)]).isEmpty {
                return .unknownTicket(ticketId)
            }

            var flags = flags
            let earlier = try tx.query(
                """
                SELECT response_id FROM survey_responses
                WHERE survey_id = $1 AND respondent = $2 AND ticket_id IS NOT DISTINCT FROM $3
                ORDER BY id LIMIT 1
                """,
                [.text(questionnaire.id), .text(answer.respondent), answer.ticketId.map(PostgresBind.int) ?? .null]
            )
            if let first = earlier.first {
                let subject = answer.ticketId.map { "for ticket \($0)" } ?? "before"
                flags.append(
                    SurveyFlag(
                        flag: .repeat, reason: "the respondent already answered this survey \(subject) (response \(try first.decode(String.self, at: 0)))")
                )
            }

            let responseId = answer.responseId ?? UUID().uuidString.lowercased()
            let submittedAt = millisecondPrecision(answer.submittedAt)
            let kinds = flags.map(\.flag.rawValue).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let inserted = try tx.query(
                """
                INSERT INTO survey_responses (
                    survey_id, response_id, ticket_id, respondent, scores, overall, nps, comment,
                    started_at, submitted_at, duration_ms, flags, flag_reasons, valid)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                ON CONFLICT (survey_id, response_id) DO NOTHING
                RETURNING id
                """,
                [
                    .text(questionnaire.id), .text(responseId), answer.ticketId.map(PostgresBind.int) ?? .null, .text(answer.respondent),
                    .jsonb(try json(answer.scores)), .int(Int64(answer.overall)), answer.nps.map { .int(Int64($0)) } ?? .null,
                    answer.comment.map(PostgresBind.text) ?? .null, .timestamp(millisecondPrecision(answer.startedAt)), .timestamp(submittedAt),
                    .int(answer.durationMilliseconds), .textArray(kinds), .jsonb(try json(flags)), .bool(flags.isEmpty),
                ]
            )
            guard !inserted.isEmpty else {
                // Another respondent's answer took this response_id first (ON CONFLICT waited
                // for it to commit): the id names that answer, which is what a retry returns.
                guard let receipt = try existing(survey: questionnaire.id, responseId: responseId, in: tx) else {
                    throw PostgresError(.serverError, message: "survey response neither inserted nor found")
                }
                return .existing(receipt)
            }

            let event = SurveyAnswered(
                ticketId: answer.ticketId ?? 0, surveyId: questionnaire.id, responseId: responseId, overall: answer.overall, nps: answer.nps,
                scores: questionnaire.dimensions.compactMap { d in answer.scores[d.id].map { DimensionScore(dimension: d.id, score: $0) } },
                valid: flags.isEmpty, flags: flags, submittedAt: submittedAt
            )
            _ = try Outbox.insert([try .event(event, at: Date())], relayAfter: .zero, in: tx)
            return .stored(SurveyReceipt(responseId: responseId, valid: flags.isEmpty, flags: flags))
        }
    }

    /// The stored receipt of (survey, response_id), if any.
    static func existing(survey: String, responseId: String, in db: PostgresConnection) throws -> SurveyReceipt? {
        let rows = try db.query(
            "SELECT valid, flag_reasons::text FROM survey_responses WHERE survey_id = $1 AND response_id = $2",
            [.text(survey), .text(responseId)]
        )
        guard let row = rows.first else { return nil }
        let flags = try FeedloopJSON.decoder().decode([SurveyFlag].self, from: Data(try row.decode(String.self, at: 1).utf8))
        return SurveyReceipt(responseId: responseId, valid: try row.decode(Bool.self, at: 0), flags: flags)
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try FeedloopJSON.encoder().encode(value), as: UTF8.self)
    }

    /// What the event and the API show, so that they agree with the stored row.
    private static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
