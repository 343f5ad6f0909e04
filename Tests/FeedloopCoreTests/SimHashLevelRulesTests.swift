import FeedloopCore
import Testing

/// The level rules applied after classification: incident and strong negative, in the order
/// of ``LevelRule``.
struct SimHashLevelRulesTests {
    let classifier = KeywordClassifier(taxonomy: .default)
    let rules = LevelRules.default

    @Test func anIncidentIsUrgentUnlessAnEarlierRuleAlreadyDecided() {
        let plain = self.classifier.classify(text: "App打不开了", customerTier: .regular)
        #expect(plain.levelRule != .incident)
        let incident = self.rules.regraded(plain, isIncident: true)
        #expect(incident.level == .urgent)
        #expect(incident.levelRule == .incident)

        let vip = self.classifier.classify(text: "App打不开了，太差了", customerTier: .vip)
        #expect(vip.levelRule == .vipCustomer)
        #expect(self.rules.regraded(vip, isIncident: true).levelRule == .vipCustomer)
        let severe = self.classifier.classify(text: "我要找律师起诉你们", customerTier: nil)
        #expect(self.rules.regraded(severe, isIncident: true).levelRule == .severityWords)
    }

    @Test func strongNegativeSentimentIsImportant() {
        let mild = self.classifier.classify(text: "有点慢", customerTier: nil)
        #expect(mild.sentimentScore > self.rules.strongNegativeScore)
        #expect(self.rules.regraded(mild, isIncident: false).levelRule != .strongNegative)

        var angry = self.classifier.classify(text: "太差了，垃圾，非常失望，恶心，再也不买了", customerTier: nil)
        #expect(angry.sentimentScore <= self.rules.strongNegativeScore, "score \(angry.sentimentScore)")
        angry = self.rules.regraded(angry, isIncident: false)
        #expect(angry.level == .important)
        #expect(angry.levelRule == .strongNegative)

        // The threshold is the company's: a stricter one leaves the same text alone.
        var strict = self.rules
        strict.strongNegativeScore = -100
        let same = strict.regraded(self.classifier.classify(text: "太差了，垃圾，非常失望，恶心，再也不买了", customerTier: nil), isIncident: false)
        #expect(same.levelRule != .strongNegative)
    }

    @Test func onlyComplaintsFormIncidents() {
        #expect(self.rules.mayFormIncident(.product))
        #expect(!self.rules.mayFormIncident(.suggestion))
        #expect(!self.rules.mayFormIncident(.other))
    }
}
