import Foundation
import Testing

@testable import FeedloopCore

/// Structural validation of survey answers: every problem named by field, nothing guessed.
@Suite struct SurveyAnswerTests {
    static let questionnaire = Questionnaire.resolutionFollowUp
    static let now = FeedloopJSON.parseTimestamp("2026-11-23T09:00:00Z")!

    static let validJSON = """
        {"respondent": "C-1001", "ticket_id": 42, "started_at": "2026-11-23T08:15:00Z",
         "submitted_at": "2026-11-23T08:16:10Z",
         "scores": {"response_speed": 4, "attitude": 5, "professionalism": 4, "solution_quality": 3},
         "overall": 4, "nps": 8, "comment": "  师傅很耐心  ", "response_id": "r-1"}
        """

    static func parse(_ json: String, _ questionnaire: Questionnaire = questionnaire) throws -> SurveyAnswer {
        try SurveyAnswer.parse(json: Array(json.utf8), for: questionnaire, receivedAt: now)
    }

    static func errors(_ json: String, _ questionnaire: Questionnaire = questionnaire) -> [String] {
        do {
            _ = try parse(json, questionnaire)
            return []
        } catch let error as SurveyValidationError {
            return error.errors.map(\.description)
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    /// The valid answer with one member replaced (or removed when `value` is nil).
    static func replacing(_ key: String, with value: Any?) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(validJSON.utf8)) as! [String: Any]
        object[key] = value
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func fullAnswer() throws {
        let a = try Self.parse(Self.validJSON)
        #expect(a.respondent == "C-1001")
        #expect(a.ticketId == 42)
        #expect(a.scores == ["response_speed": 4, "attitude": 5, "professionalism": 4, "solution_quality": 3])
        #expect(a.overall == 4)
        #expect(a.nps == 8)
        #expect(a.comment == "师傅很耐心")
        #expect(a.responseId == "r-1")
        #expect(a.durationMilliseconds == 70_000)
    }

    @Test func submittedAtDefaultsToTheServerClock() throws {
        let a = try Self.parse(Self.replacing("submitted_at", with: nil))
        #expect(a.submittedAt == Self.now)
        #expect(a.durationMilliseconds == 45 * 60 * 1000)
    }

    @Test func optionalQuestionsMayBeSkipped() throws {
        var object = try JSONSerialization.jsonObject(with: Data(Self.validJSON.utf8)) as! [String: Any]
        object["nps"] = NSNull()
        object["comment"] = "   "
        object["response_id"] = nil
        let a = try Self.parse(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(a.nps == nil)
        #expect(a.comment == nil)
        #expect(a.responseId == nil)
    }

    @Test func wholeNumbersWrittenAsDecimalsAreScores() throws {
        #expect(try Self.parse(Self.replacing("overall", with: 4.0)).overall == 4)
    }

    @Test func scoreOutOfRangeNamesTheDimension() {
        let json = Self.validJSON.replacingOccurrences(of: #""attitude": 5"#, with: #""attitude": 7"#)
        #expect(Self.errors(json) == ["scores.attitude: must be an integer 1–5, got 7"])
    }

    @Test func scoreTypesAreChecked() throws {
        for (value, shown) in [(3.5 as Any, "3.5"), ("4" as Any, "the string \"4\""), (true as Any, "a boolean"), (0 as Any, "0")] {
            #expect(Self.errors(Self.replacing("overall", with: value)) == ["overall: must be an integer 1–5, got \(shown)"])
        }
        #expect(Self.errors(Self.replacing("nps", with: 11)) == ["nps: must be an integer 0–10, got 11"])
        #expect(try Self.parse(Self.replacing("nps", with: 0)).nps == 0)
    }

    @Test func missingAndUnknownDimensions() {
        let json = Self.validJSON.replacingOccurrences(of: #""professionalism": 4"#, with: #""friendliness": 4"#)
        #expect(
            Self.errors(json) == [
                "scores.professionalism: is required; must be an integer 1–5",
                "scores.friendliness: is not a dimension of survey resolution_followup; expected response_speed, attitude, professionalism, solution_quality",
            ])
        #expect(Self.errors(Self.replacing("scores", with: [1, 2])) == ["scores: must be an object of dimension scores, got an array"])
    }

    @Test func everyMissingRequiredFieldIsNamed() {
        let errors = Self.errors("{}")
        #expect(
            errors == [
                "respondent: is required", "ticket_id: is required: this survey follows up a ticket", "started_at: is required",
                "scores: is required", "overall: is required; must be an integer 1–5",
            ])
    }

    @Test func ticketRules() throws {
        #expect(Self.errors(Self.replacing("ticket_id", with: -3)) == ["ticket_id: must be a positive integer ticket id, got -3"])
        #expect(Self.errors(Self.replacing("ticket_id", with: "42")) == ["ticket_id: must be a positive integer ticket id, got the string \"42\""])
        var general = Self.questionnaire
        general.ticket = .none
        #expect(Self.errors(Self.validJSON, general) == ["ticket_id: is not accepted: this survey does not follow up tickets"])
        var optional = Self.questionnaire
        optional.ticket = .optional
        #expect(try Self.parse(Self.replacing("ticket_id", with: nil), optional).ticketId == nil)
    }

    @Test func timestamps() {
        #expect(Self.errors(Self.replacing("started_at", with: "yesterday")) == ["started_at: must be an ISO 8601 timestamp such as 2026-11-23T08:15:00Z"])
        #expect(Self.errors(Self.replacing("submitted_at", with: "2026-11-23T08:14:00Z")) == ["submitted_at: must not be before started_at"])
        #expect(Self.errors(Self.replacing("submitted_at", with: "2026-11-23T10:00:00Z")) == ["submitted_at: must not be in the future"])
    }

    @Test func questionsTheSurveyDoesNotAsk() {
        var bare = Self.questionnaire
        bare.nps = nil
        bare.comment = nil
        bare.contradictions = []
        #expect(
            Self.errors(Self.validJSON, bare) == [
                "nps: is not asked by survey resolution_followup", "comment: is not asked by survey resolution_followup",
            ])
    }

    @Test func referencesAndUnknownFields() {
        #expect(Self.errors(Self.replacing("respondent", with: "  ")) == ["respondent: must not be blank"])
        #expect(Self.errors(Self.replacing("respondent", with: 7)) == ["respondent: must be a string, got a number"])
        #expect(
            Self.errors(Self.replacing("response_id", with: String(repeating: "x", count: 201)))
                == ["response_id: must be at most 200 characters, got 201"])
        #expect(Self.errors(Self.replacing("score", with: 3)) == ["score: is not a known field"])
        #expect(Self.errors(Self.replacing("comment", with: "a\u{0}b")) == ["comment: must not contain NUL characters"])
    }

    @Test func bodyProblems() {
        #expect(Self.errors("[1]") == ["body: must be a JSON object"])
        #expect(Self.errors("{").first?.hasPrefix("body: is not valid JSON") == true)
        #expect(throws: SurveyValidationError.self) { try SurveyAnswer.parse(json: [0xFF, 0xFE], for: Self.questionnaire, receivedAt: Self.now) }
    }
}
