import Foundation

/// One respondent's answer to a questionnaire, structurally valid for it.
///
/// Untrusted input goes through ``parse(json:for:receivedAt:)``, which collects every problem
/// into a ``SurveyValidationError``. Plausibility (too fast, straight-lining, contradictions,
/// repeats) is not a structural problem: such answers parse and are flagged by ``SurveyValidity``.
public struct SurveyAnswer: Hashable, Sendable {
    /// Longest accepted respondent reference and response id, in characters.
    public static let maxReferenceLength = 200
    /// Longest accepted comment, in characters, after trimming.
    public static let maxCommentLength = 5_000
    /// How far a client's `submitted_at` may be ahead of the server's clock.
    public static let allowedClockSkew: TimeInterval = 300

    /// Who answered (a customer reference); personal data, never logged or published.
    public var respondent: String
    public var ticketId: Int64?
    public var startedAt: Date
    /// The client's submission time, or the server's when the client sent none.
    public var submittedAt: Date
    /// Dimension id → 1–5, one entry per dimension of the questionnaire.
    public var scores: [String: Int]
    public var overall: Int
    public var nps: Int?
    public var comment: String?
    /// The client's id for this answer, so that a retried submission is not stored twice.
    public var responseId: String?

    public init(
        respondent: String, ticketId: Int64?, startedAt: Date, submittedAt: Date, scores: [String: Int], overall: Int, nps: Int?,
        comment: String?, responseId: String?
    ) {
        self.respondent = respondent
        self.ticketId = ticketId
        self.startedAt = startedAt
        self.submittedAt = submittedAt
        self.scores = scores
        self.overall = overall
        self.nps = nps
        self.comment = comment
        self.responseId = responseId
    }

    /// Time from opening the questionnaire to submitting it.
    public var durationMilliseconds: Int64 {
        Int64((submittedAt.timeIntervalSince(startedAt) * 1000).rounded(.down))
    }

    /// Every answered score by item, as contradiction rules read them.
    public var itemScores: [SurveyItem: Int] {
        var items: [SurveyItem: Int] = [.overall: overall]
        for (id, score) in scores { items[.dimension(id)] = score }
        if let nps { items[.nps] = nps }
        return items
    }

    // MARK: JSON

    static let knownFields = ["respondent", "ticket_id", "started_at", "submitted_at", "scores", "overall", "nps", "comment", "response_id"]

    /// Decodes and checks a JSON answer against `questionnaire`; `receivedAt` is the server's
    /// clock, used when `submitted_at` is absent and to refuse one from the future.
    /// Throws ``SurveyValidationError`` listing every problem, known fields first.
    public static func parse(json: [UInt8], for questionnaire: Questionnaire, receivedAt: Date) throws -> SurveyAnswer {
        guard String(validating: json, as: UTF8.self) != nil else {
            throw SurveyValidationError(errors: [FieldError(field: "body", reason: "is not valid UTF-8")])
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw SurveyValidationError(errors: [FieldError(field: "body", reason: "is not valid JSON" + (detail.map { " (\($0))" } ?? ""))])
        }
        guard let dict = object as? [String: Any] else {
            throw SurveyValidationError(errors: [FieldError(field: "body", reason: "must be a JSON object")])
        }
        var reader = Reader()

        let respondent = reader.reference(dict["respondent"], field: "respondent", required: true)
        let ticketId = reader.ticket(dict["ticket_id"], followUp: questionnaire.ticket)
        let startedAt = reader.timestamp(dict["started_at"], field: "started_at", required: true)
        var submittedAt = reader.timestamp(dict["submitted_at"], field: "submitted_at", required: false)
        if let submitted = submittedAt {
            if let startedAt, submitted < startedAt {
                reader.fail("submitted_at", "must not be before started_at")
            } else if submitted.timeIntervalSince(receivedAt) > Self.allowedClockSkew {
                reader.fail("submitted_at", "must not be in the future")
            }
        } else if dict["submitted_at"].map({ $0 is NSNull }) ?? true {
            submittedAt = receivedAt
            if let startedAt, startedAt > receivedAt.addingTimeInterval(Self.allowedClockSkew) {
                reader.fail("started_at", "must not be in the future")
            }
        }

        var scores: [String: Int] = [:]
        switch dict["scores"] {
        case nil, is NSNull:
            reader.fail("scores", "is required")
        case let object as [String: Any]:
            for dimension in questionnaire.dimensions {
                if let score = reader.score(object[dimension.id], field: "scores.\(dimension.id)", range: 1...5, required: true) {
                    scores[dimension.id] = score
                }
            }
            let dimensionIds = Set(questionnaire.dimensions.map(\.id))
            for key in object.keys.sorted() where !dimensionIds.contains(key) {
                let expected = questionnaire.dimensions.map(\.id).joined(separator: ", ")
                reader.fail("scores." + Self.clipped(key), "is not a dimension of survey \(questionnaire.id); expected \(expected)")
            }
        case let other?:
            reader.fail("scores", "must be an object of dimension scores, got \(Self.jsonTypeName(other))")
        }
        let overall = reader.score(dict["overall"], field: "overall", range: 1...5, required: true)

        var nps: Int?
        if questionnaire.nps != nil {
            nps = reader.score(dict["nps"], field: "nps", range: 0...10, required: false)
        } else if let value = dict["nps"], !(value is NSNull) {
            reader.fail("nps", "is not asked by survey \(questionnaire.id)")
        }

        var comment: String?
        if let value = dict["comment"], !(value is NSNull) {
            if let text = value as? String {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if questionnaire.comment == nil, !trimmed.isEmpty {
                    reader.fail("comment", "is not asked by survey \(questionnaire.id)")
                } else if trimmed.count > Self.maxCommentLength {
                    reader.fail("comment", "must be at most \(Self.maxCommentLength) characters, got \(trimmed.count)")
                } else if text.unicodeScalars.contains("\0") {
                    reader.fail("comment", "must not contain NUL characters")
                } else if !trimmed.isEmpty {
                    comment = trimmed
                }
            } else {
                reader.fail("comment", "must be a string, got \(Self.jsonTypeName(value))")
            }
        }
        let responseId = reader.reference(dict["response_id"], field: "response_id", required: false)

        for key in dict.keys.sorted() where !Self.knownFields.contains(key) {
            reader.fail(Self.clipped(key), "is not a known field")
        }

        guard reader.errors.isEmpty, let respondent, let startedAt, let submittedAt, let overall else {
            throw SurveyValidationError(errors: reader.errors)
        }
        return SurveyAnswer(
            respondent: respondent, ticketId: ticketId, startedAt: startedAt, submittedAt: submittedAt, scores: scores,
            overall: overall, nps: nps, comment: comment, responseId: responseId
        )
    }

    /// Collects field problems while reading members.
    private struct Reader {
        var errors: [FieldError] = []

        mutating func fail(_ field: String, _ reason: String) {
            errors.append(FieldError(field: field, reason: reason))
        }

        mutating func reference(_ value: Any?, field: String, required: Bool) -> String? {
            guard let value, !(value is NSNull) else {
                if required { fail(field, "is required") }
                return nil
            }
            guard let s = value as? String else {
                fail(field, "must be a string, got \(SurveyAnswer.jsonTypeName(value))")
                return nil
            }
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                fail(field, required ? "must not be blank" : "must not be blank when present")
            } else if trimmed.count > SurveyAnswer.maxReferenceLength {
                fail(field, "must be at most \(SurveyAnswer.maxReferenceLength) characters, got \(trimmed.count)")
            } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                fail(field, "must not contain control characters")
            } else {
                return trimmed
            }
            return nil
        }

        mutating func timestamp(_ value: Any?, field: String, required: Bool) -> Date? {
            guard let value, !(value is NSNull) else {
                if required { fail(field, "is required") }
                return nil
            }
            guard let s = value as? String, let date = FeedloopJSON.parseTimestamp(s.trimmingCharacters(in: .whitespaces)) else {
                fail(field, "must be an ISO 8601 timestamp such as 2026-11-23T08:15:00Z")
                return nil
            }
            return date
        }

        /// An integer score; 4.0 counts as 4, 4.5 and booleans do not.
        mutating func score(_ value: Any?, field: String, range: ClosedRange<Int>, required: Bool) -> Int? {
            let expectation = "must be an integer \(range.lowerBound)–\(range.upperBound)"
            guard let value, !(value is NSNull) else {
                if required { fail(field, "is required; \(expectation)") }
                return nil
            }
            guard let n = SurveyAnswer.integer(value), range.contains(n) else {
                fail(field, "\(expectation), got \(SurveyAnswer.describe(value))")
                return nil
            }
            return n
        }

        mutating func ticket(_ value: Any?, followUp: TicketFollowUp) -> Int64? {
            guard let value, !(value is NSNull) else {
                if followUp == .required { fail("ticket_id", "is required: this survey follows up a ticket") }
                return nil
            }
            if followUp == .none {
                fail("ticket_id", "is not accepted: this survey does not follow up tickets")
                return nil
            }
            guard let n = SurveyAnswer.integer(value), n > 0 else {
                fail("ticket_id", "must be a positive integer ticket id, got \(SurveyAnswer.describe(value))")
                return nil
            }
            return Int64(n)
        }
    }

    /// The whole number a JSON number holds, nil for fractions, booleans and other types.
    static func integer(_ value: Any) -> Int? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    /// A short rendering of a refused value for the error (numbers only; strings are clipped).
    static func describe(_ value: Any) -> String {
        if let s = value as? String { return "the string \"\(clipped(s))\"" }
        if let n = value as? NSNumber, String(cString: n.objCType) != "c" { return n.stringValue }
        return jsonTypeName(value)
    }

    static func jsonTypeName(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case let n as NSNumber where String(cString: n.objCType) == "c": return "a boolean"
        case is NSNumber: return "a number"
        default: return "another type"
        }
    }

    static func clipped(_ s: String) -> String {
        let c = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return String(String.UnicodeScalarView(c.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }
}
