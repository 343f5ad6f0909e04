import Foundation
import Testing

@testable import FeedloopCore

/// The validity flags an answer gets from itself and its questionnaire (repeat is the store's).
@Suite struct SurveyValidityTests {
    static let questionnaire = Questionnaire.resolutionFollowUp
    static let start = FeedloopJSON.parseTimestamp("2026-11-23T08:15:00Z")!

    static func answer(
        seconds: Double = 120, speed: Int = 4, attitude: Int = 5, professionalism: Int = 4, solution: Int = 3, overall: Int = 4, nps: Int? = 8
    ) -> SurveyAnswer {
        SurveyAnswer(
            respondent: "C-1", ticketId: 1, startedAt: start, submittedAt: start.addingTimeInterval(seconds),
            scores: ["response_speed": speed, "attitude": attitude, "professionalism": professionalism, "solution_quality": solution],
            overall: overall, nps: nps, comment: nil, responseId: nil
        )
    }

    static func flags(_ answer: SurveyAnswer, _ questionnaire: Questionnaire = questionnaire) -> [SurveyFlagKind] {
        SurveyValidity.flags(of: answer, for: questionnaire).map(\.flag)
    }

    @Test func plausibleAnswerHasNoFlags() {
        #expect(SurveyValidity.flags(of: Self.answer(), for: Self.questionnaire).isEmpty)
    }

    @Test func tooFastIsStrictlyBelowTheMinimum() {
        #expect(Self.flags(Self.answer(seconds: 29)) == [.tooFast])
        #expect(Self.flags(Self.answer(seconds: 29.999)) == [.tooFast])
        #expect(Self.flags(Self.answer(seconds: 30)) == [])
        let reason = SurveyValidity.flags(of: Self.answer(seconds: 12), for: Self.questionnaire).first?.reason
        #expect(reason == "answered in 12.0 s, less than the minimum of 30 s")
    }

    @Test func minimumComesFromTheQuestionnaire() {
        var q = Self.questionnaire
        q.minimumSeconds = 60
        #expect(Self.flags(Self.answer(seconds: 59), q) == [.tooFast])
        q.minimumSeconds = 0
        #expect(Self.flags(Self.answer(seconds: 0), q) == [])
    }

    @Test func straightLiningNeedsTheSameScoreOnEveryItem() {
        let same = Self.answer(speed: 3, attitude: 3, professionalism: 3, solution: 3, overall: 3, nps: 5)
        #expect(Self.flags(same) == [.straightLining])
        #expect(SurveyValidity.flags(of: same, for: Self.questionnaire).first?.reason == "the same score 3 on all 5 items")
        #expect(Self.flags(Self.answer(speed: 3, attitude: 3, professionalism: 3, solution: 3, overall: 4)) == [])
    }

    @Test func straightLiningNeedsThreeItems() {
        var q = Self.questionnaire
        q.dimensions = [SurveyDimension(id: "solution_quality", label: LocalizedText(zh: "解决效果", en: "Solution quality"))]
        q.contradictions = []
        let twoItems = SurveyAnswer(
            respondent: "C-1", ticketId: 1, startedAt: Self.start, submittedAt: Self.start.addingTimeInterval(60),
            scores: ["solution_quality": 3], overall: 3, nps: nil, comment: nil, responseId: nil)
        #expect(Self.flags(twoItems, q) == [])
        q.dimensions.append(SurveyDimension(id: "attitude", label: LocalizedText(zh: "服务态度", en: "Attitude")))
        var threeItems = twoItems
        threeItems.scores["attitude"] = 3
        #expect(Self.flags(threeItems, q) == [.straightLining])
    }

    @Test func shippedContradictionRules() {
        let satisfiedUnsolved = SurveyValidity.flags(of: Self.answer(solution: 1, overall: 4), for: Self.questionnaire)
        #expect(satisfiedUnsolved.map(\.flag) == [.contradictory])
        #expect(satisfiedUnsolved.first?.reason == "rule satisfied_but_unsolved: overall 4 (>= 4) contradicts solution_quality 1 (<= 1)")
        #expect(Self.flags(Self.answer(solution: 2, overall: 4)) == [])
        #expect(Self.flags(Self.answer(solution: 1, overall: 3)) == [])
        #expect(Self.flags(Self.answer(overall: 2, nps: 9)) == [.contradictory])
        #expect(Self.flags(Self.answer(overall: 3, nps: 10)) == [])
        // A skipped NPS cannot contradict anything.
        #expect(Self.flags(Self.answer(overall: 2, nps: nil)) == [])
    }

    @Test(arguments: [
        (ScoreComparison.less, 3, [2]), (.lessOrEqual, 3, [2, 3]), (.equal, 3, [3]), (.notEqual, 3, [2, 4]),
        (.greaterOrEqual, 3, [3, 4]), (.greater, 3, [4]),
    ])
    func eachOperator(comparison: ScoreComparison, value: Int, firing: [Int]) {
        var q = Self.questionnaire
        q.contradictions = [
            ContradictionRule(
                id: "probe", when: [ScoreCondition(item: .dimension("attitude"), comparison: comparison, value: value)],
                contradicts: [ScoreCondition(item: .overall, comparison: .greaterOrEqual, value: 1)])
        ]
        for attitude in 2...4 {
            let fired = Self.flags(Self.answer(attitude: attitude), q) == [.contradictory]
            #expect(fired == firing.contains(attitude), "attitude \(attitude) \(comparison.rawValue) \(value)")
        }
    }

    @Test func everyConditionOfARuleMustHold() {
        var q = Self.questionnaire
        q.contradictions = [
            ContradictionRule(
                id: "both",
                when: [ScoreCondition(item: .overall, comparison: .equal, value: 5), ScoreCondition(item: .nps, comparison: .less, value: 7)],
                contradicts: [ScoreCondition(item: .dimension("attitude"), comparison: .lessOrEqual, value: 2)])
        ]
        #expect(Self.flags(Self.answer(attitude: 2, overall: 5, nps: 6), q) == [.contradictory])
        #expect(Self.flags(Self.answer(attitude: 2, overall: 5, nps: 7), q) == [])
        #expect(Self.flags(Self.answer(attitude: 3, overall: 5, nps: 6), q) == [])
    }

    @Test func flagsCombineInOrderWithOneEntryPerFiredRule() {
        // Straight ones with overall 1 and NPS 10: too fast, straight-lining and two rules.
        var q = Self.questionnaire
        q.contradictions.append(
            ContradictionRule(
                id: "promoter_low_speed", when: [ScoreCondition(item: .nps, comparison: .equal, value: 10)],
                contradicts: [ScoreCondition(item: .dimension("response_speed"), comparison: .equal, value: 1)]))
        let a = Self.answer(seconds: 5, speed: 1, attitude: 1, professionalism: 1, solution: 1, overall: 1, nps: 10)
        let flags = SurveyValidity.flags(of: a, for: q)
        #expect(flags.map(\.flag) == [.tooFast, .straightLining, .contradictory, .contradictory])
        #expect(flags[2].reason.hasPrefix("rule promoter_but_dissatisfied:"))
        #expect(flags[3].reason.hasPrefix("rule promoter_low_speed:"))
    }

    @Test func conditionSpellings() {
        let item = SurveyItem.overall
        #expect(ScoreCondition.parse(">= 4", item: item) == ScoreCondition(item: item, comparison: .greaterOrEqual, value: 4))
        #expect(ScoreCondition.parse("<=1", item: item) == ScoreCondition(item: item, comparison: .lessOrEqual, value: 1))
        #expect(ScoreCondition.parse("== 3", item: item)?.comparison == .equal)
        #expect(ScoreCondition.parse("= 3", item: item)?.comparison == .equal)
        #expect(ScoreCondition.parse("3", item: item) == ScoreCondition(item: item, comparison: .equal, value: 3))
        #expect(ScoreCondition.parse("!= 2", item: item)?.comparison == .notEqual)
        #expect(ScoreCondition.parse("< 2", item: item)?.comparison == .less)
        #expect(ScoreCondition.parse("> 2", item: item)?.comparison == .greater)
        #expect(ScoreCondition.parse("=> 2", item: item) == nil)
        #expect(ScoreCondition.parse(">= four", item: item) == nil)
        #expect(ScoreCondition.parse("", item: item) == nil)
    }

    @Test func eventCarriesNoPersonalData() throws {
        let event = SurveyAnswered(
            ticketId: 0, surveyId: "resolution_followup", responseId: "r-1", overall: 4, nps: nil,
            scores: [DimensionScore(dimension: "solution_quality", score: 3)], valid: false,
            flags: [SurveyFlag(flag: .tooFast, reason: "answered in 1.0 s, less than the minimum of 30 s")], submittedAt: Self.start)
        #expect(event.messageID == "survey.answered/0/resolution_followup/r-1")
        let body = try Envelope(event, occurredAt: Self.start).encoded()
        let decoded = try Envelope<SurveyAnswered>.decode(body)
        #expect(decoded.data == event)
        #expect(String(decoding: body, as: UTF8.self).contains("\"dimension\":\"solution_quality\""))
    }
}
