extension Questionnaire {
    /// The 回访 sent after a ticket is resolved: four service dimensions, overall, NPS and a
    /// comment. `config/surveys.yaml` spells out the same questionnaire (a test holds them equal).
    public static let resolutionFollowUp = Questionnaire(
        id: "resolution_followup",
        title: LocalizedText(zh: "服务回访", en: "After-resolution follow-up"),
        dimensions: [
            SurveyDimension(id: "response_speed", label: LocalizedText(zh: "响应速度", en: "Response speed")),
            SurveyDimension(id: "attitude", label: LocalizedText(zh: "服务态度", en: "Attitude")),
            SurveyDimension(id: "professionalism", label: LocalizedText(zh: "专业程度", en: "Professionalism")),
            SurveyDimension(id: "solution_quality", label: LocalizedText(zh: "解决效果", en: "Solution quality")),
        ],
        overall: LocalizedText(zh: "总体满意度", en: "Overall satisfaction"),
        nps: LocalizedText(zh: "您有多大可能向朋友推荐我们？", en: "How likely are you to recommend us to a friend?"),
        comment: LocalizedText(zh: "其他意见或建议", en: "Anything else you would like to tell us?"),
        ticket: .required,
        minimumSeconds: Questionnaire.defaultMinimumSeconds,
        contradictions: [
            ContradictionRule(
                id: "satisfied_but_unsolved",
                when: [ScoreCondition(item: .overall, comparison: .greaterOrEqual, value: 4)],
                contradicts: [ScoreCondition(item: .dimension("solution_quality"), comparison: .lessOrEqual, value: 1)]
            ),
            ContradictionRule(
                id: "dissatisfied_but_solved",
                when: [ScoreCondition(item: .overall, comparison: .lessOrEqual, value: 1)],
                contradicts: [ScoreCondition(item: .dimension("solution_quality"), comparison: .greaterOrEqual, value: 5)]
            ),
            ContradictionRule(
                id: "promoter_but_dissatisfied",
                when: [ScoreCondition(item: .nps, comparison: .greaterOrEqual, value: 9)],
                contradicts: [ScoreCondition(item: .overall, comparison: .lessOrEqual, value: 2)]
            ),
            ContradictionRule(
                id: "detractor_but_delighted",
                when: [ScoreCondition(item: .nps, comparison: .lessOrEqual, value: 2)],
                contradicts: [ScoreCondition(item: .overall, comparison: .equal, value: 5)]
            ),
        ]
    )
}
