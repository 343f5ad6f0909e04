import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ModelHybridClassifierTests {
    static let keywords = KeywordClassifier(taxonomy: .default)
    static let models: ClassifierModelSet = {
        try! ModelTrainer().train(ModelTrainingTests.examples(), name: "t", fileName: "f", trainedAt: Date(timeIntervalSince1970: 0))
    }()
    static let texts = [
        "手机用了三天屏幕就出现裂缝，质量太差了", "The agent was rude and hung up on me.", "下单一个星期了快递还没到，物流太慢",
        "建议增加夜间模式", "请问门店几点开门", "我要投诉到消协，律师函已经准备好了", "Way too expensive for what it is.", "",
    ]

    @Test(arguments: texts)
    func withoutModelsItIsTheKeywordClassifier(text: String) {
        let hybrid = HybridClassifier(keywords: Self.keywords, models: nil, reviewThreshold: 0.5)
        for tier in [nil, CustomerTier.vip] {
            #expect(hybrid.classify(text: text, customerTier: tier) == Self.keywords.classify(text: text, customerTier: tier))
        }
    }

    @Test func belowTheThresholdTheTicketWaitsForReview() {
        let strict = HybridClassifier(keywords: Self.keywords, models: Self.models, reviewThreshold: 1.01)
        let c = strict.classify(text: "快递太慢了还没到", customerTier: nil)
        #expect(c.needsReview)
        #expect(c.category == .other)
        #expect(c.suggestedCategory == .logistics)
        #expect(c.department == "customer_service")
        #expect(c.subcategory == nil)
        // Graded on the best guess: a negative logistics complaint stays important.
        #expect(c.level == .important)

        let lenient = HybridClassifier(keywords: Self.keywords, models: Self.models, reviewThreshold: 0)
        let d = lenient.classify(text: "快递太慢了还没到", customerTier: nil)
        #expect(!d.needsReview && d.category == .logistics && d.suggestedCategory == nil && d.department == "logistics")
    }

    @Test func agreementRaisesConfidenceAndTheModelCoversTextsWithoutKeywords() {
        let hybrid = HybridClassifier(keywords: Self.keywords, models: Self.models, reviewThreshold: 0.5)
        let rulesOnly = Self.keywords.classify(text: "快递太慢了还没到", customerTier: nil)
        let both = hybrid.classify(text: "快递太慢了还没到", customerTier: nil)
        #expect(both.category == rulesOnly.category)
        #expect(both.confidence >= rulesOnly.confidence - 1e-9)
        // No taxonomy keyword: the model alone decides.
        let c = hybrid.classify(text: "小姐姐很耐心", customerTier: nil)
        #expect(Self.keywords.classify(text: "小姐姐很耐心", customerTier: nil).score == 0)
        #expect((c.suggestedCategory ?? c.category) == .service)
    }

    @Test func categoriesTheModelDoesNotKnowStayWithTheRules() {
        let hybrid = HybridClassifier(keywords: Self.keywords, models: Self.models, reviewThreshold: 0.1)
        let c = hybrid.classify(text: "建议增加夜间模式", customerTier: nil)
        #expect(c.category == .suggestion)
        #expect(c.modelVersion == nil)
    }

    @Test func productOfExpertsNormalizes() {
        let p = HybridClassifier.productOfExperts([0.5, 0.3, 0.2], favoured: 1, strength: 1, cap: 0.9)
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        #expect(p[1] > p[0])
        let none = HybridClassifier.productOfExperts([0.5, 0.3, 0.2], favoured: 1, strength: 0, cap: 0.9)
        #expect(zip(none, [0.5, 0.3, 0.2]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
