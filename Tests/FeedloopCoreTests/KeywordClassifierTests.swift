import Testing

@testable import FeedloopCore

@Suite struct KeywordClassifierTests {
    static let classifier = KeywordClassifier(taxonomy: .default)

    static func classify(_ text: String, tier: CustomerTier? = nil) -> Classification {
        classifier.classify(text: text, customerTier: tier)
    }

    /// Two sentences per sub-category, one Chinese and one English, written for these tests.
    @Test(arguments: [
        ("手机用了三天屏幕就出现裂缝，质量太差了", "product.defect"),
        ("The blender is defective, the lid cracked after two uses.", "product.defect"),
        ("APP一打开就闪退，重装了还是死机", "product.malfunction"),
        ("The app crashes every time I open the camera and then freezes.", "product.malfunction"),
        ("这个界面设计不合理，操作太复杂了，找了半天", "product.usability"),
        ("The settings menu is confusing and hard to use.", "product.usability"),
        ("升级后电池掉电特别快，新版本还不如旧版", "product.version"),
        ("After the update my smartwatch no longer syncs.", "product.version"),
        ("打了三次客服电话都没人理，回复太慢了", "service.slow_response"),
        ("I emailed support twice and still got no reply after a week.", "service.slow_response"),
        ("客服态度恶劣，还直接挂电话", "service.attitude"),
        ("The agent was rude and hung up on me.", "service.attitude"),
        ("售后流程繁琐，退货要填好几张表", "service.after_sales"),
        ("The warranty claim took five forms and three phone calls, far too cumbersome.", "service.after_sales"),
        ("客服给的方案根本没解决问题，问题依旧", "service.ineffective_solution"),
        ("Support told me to restart it, which did not help; the issue persists.", "service.ineffective_solution"),
        ("下单一个星期了快递还没到，物流太慢", "logistics.late_delivery"),
        ("My order was supposed to arrive Monday, it is now five days late.", "logistics.late_delivery"),
        ("收到的时候箱子压扁了，杯子都碎了", "logistics.damaged_goods"),
        ("The vase arrived broken, clearly damaged in transit.", "logistics.damaged_goods"),
        ("物流信息三天没有更新了，单号也查不到", "logistics.tracking"),
        ("The tracking number has not updated since Friday.", "logistics.tracking"),
        ("包装太简陋了，连个泡沫都没有", "logistics.packaging"),
        ("Poor packaging: the box had no padding at all.", "logistics.packaging"),
        ("这个价格太贵了，比别家贵一百多", "price.too_expensive"),
        ("Way too expensive for what it is, and overpriced compared to last year.", "price.too_expensive"),
        ("活动规则写得不清楚，满减优惠券结账时用不了", "price.promotion_rules"),
        ("The coupon did not apply at checkout and the promotion rules are unclear.", "price.promotion_rules"),
        ("花了八百块买了这个，性价比太低，不值这个价", "price.value_for_money"),
        ("Honestly a waste of money, not worth the price.", "price.value_for_money"),
        ("申请退款两周了还没到账，要求赔偿", "price.refund_compensation"),
        ("I returned the jacket three weeks ago and I am still waiting for my refund.", "price.refund_compensation"),
        ("建议APP增加夜间模式，晚上看着不刺眼", "suggestion.product_improvement"),
        ("It would be nice if you could add a dark mode to the app.", "suggestion.product_improvement"),
        ("希望门店能延长营业时间，周末也多安排几个店员", "suggestion.service_improvement"),
        ("Please consider offering live chat support on weekends.", "suggestion.service_improvement"),
    ])
    func subcategories(text: String, subcategory: String) throws {
        let result = Self.classify(text)
        let expectedCategory = try #require(Category(rawValue: String(subcategory.prefix { $0 != "." })))
        #expect(result.category == expectedCategory)
        #expect(result.subcategory == subcategory)
        #expect(!result.keywords.isEmpty)
        #expect(result.confidence > 0 && result.confidence <= 1)
        #expect(Taxonomy.default.subcategory(id: subcategory) != nil)
    }

    @Test(arguments: [
        (Category.product, "rd"), (.service, "customer_service"), (.logistics, "logistics"),
        (.price, "marketing"), (.suggestion, "planning"), (.other, "customer_service"),
    ])
    func departments(category: Category, department: String) {
        #expect(Taxonomy.default.department(for: category) == department)
    }

    @Test func departmentFollowsTheCategory() {
        #expect(Self.classify("快递三天还没到").department == "logistics")
        #expect(Self.classify("The app keeps crashing").department == "rd")
        #expect(Self.classify("建议增加夜间模式").department == "planning")
    }

    @Test(arguments: ["请问你们周末几点开门？", "Just wanted to say hello to the team.", "", "   ", "12345"])
    func unmatchedTextIsOther(text: String) {
        let result = Self.classify(text)
        #expect(result.category == .other)
        #expect(result.subcategory == nil)
        #expect(result.keywords.isEmpty)
        #expect(result.confidence == 0)
        #expect(result.department == "customer_service")
    }

    @Test func suggestionWinsOverTheAreaItIsAbout() {
        let result = Self.classify("建议你们的快递员送货前先打个电话")
        #expect(result.category == .suggestion)
        // No service-improvement keyword, but the text is about delivery: the related area decides.
        #expect(result.subcategory == "suggestion.service_improvement")
        #expect(Self.classify("Please add an option to export my order history").category == .suggestion)
    }

    @Test func aComplaintEndingWithAWishIsStillAComplaint() {
        let result = Self.classify("快递迟迟不到，希望尽快解决")
        #expect(result.category == .logistics)
        #expect(result.level == .important)
    }

    @Test func englishMatchesWholeWordsCaseInsensitively() {
        #expect(Self.classify("The APP CRASHES on start").subcategory == "product.malfunction")
        // "debug" contains "bug" and "latest" contains "late", but neither is the word.
        #expect(Self.classify("I debug things for a living").category == .other)
        #expect(Self.classify("I love the latest colours").subcategory != "logistics.late_delivery")
    }

    @Test func fullWidthLettersAreFolded() {
        #expect(Self.classify("ＡＰＰ一直闪退").subcategory == "product.malfunction")
    }

    @Test func longerPhrasesSwallowTheWordsInside() {
        // "arrived broken" is a delivery problem, not a defect, although "broken" is a defect word.
        let result = Self.classify("My headphones arrived broken")
        #expect(result.subcategory == "logistics.damaged_goods")
        #expect(!result.keywords.contains("broken"))
    }

    // MARK: Sentiment

    @Test(arguments: [
        ("这个产品很不错", Sentiment.positive),
        ("质量不好", .negative),
        ("不太满意", .negative),
        ("没有问题，挺好的", .positive),
        ("客服态度不是很好", .negative),
        ("不便宜，也不方便", .negative),
        ("比别家贵", .negative),
        ("not good at all", .negative),
        ("not bad, the delivery was quick", .positive),
        ("The staff were friendly and helpful", .positive),
        ("I don't like the new design", .negative),
        ("It is not very easy to use", .negative),
        ("Delivery was slow, but the product is great and the staff were helpful", .positive),
        ("我想咨询一下会员积分怎么用", .neutral),
        ("What time do you open on Sunday?", .neutral),
        ("质量很好，很满意", .positive),
        ("收到了，谢谢", .neutral),
    ])
    func sentiment(text: String, expected: Sentiment) {
        #expect(Self.classify(text).sentiment == expected)
    }

    @Test func negationOnlyReachesIntoItsOwnClause() {
        // "不" ends its clause at the comma, so "很好" in the next clause stays positive.
        #expect(Self.classify("不贵，质量很好").sentiment == .positive)
    }

    // MARK: Levels

    @Test func vipComplaintIsUrgent() {
        let result = Self.classify("手机屏幕坏了，麻烦尽快处理", tier: .vip)
        #expect(result.level == .urgent)
        #expect(result.levelRule == .vipCustomer)
        let regular = Self.classify("手机屏幕坏了，麻烦尽快处理", tier: .regular)
        #expect(regular.level == .important)
        #expect(regular.levelRule == .negativeComplaint)
    }

    @Test(arguments: ["建议增加夜间模式", "The new app is great, thanks!"])
    func vipSuggestionOrPraiseIsNotUrgent(text: String) {
        let result = Self.classify(text, tier: .vip)
        #expect(result.level == .general)
        #expect(result.levelRule == .defaultGeneral)
    }

    @Test func vipRuleNamesItselfEvenWhenSeverityWordsArePresent() {
        let result = Self.classify("再不退款我就起诉你们", tier: .vip)
        #expect(result.levelRule == .vipCustomer)
        #expect(result.severityTerms.contains("起诉"))
    }

    @Test(arguments: [
        "你们再不处理我就找律师起诉",
        "这款电暖器用的时候冒烟了，太危险",
        "我要投诉到12315",
        "已经联系媒体准备曝光你们",
        "The heater caught fire in my living room",
        "If this is not fixed I will talk to my lawyer",
        "The charger gave my son an electric shock, this is dangerous",
        "After the update the app crashes for all users",
        "全部订单都显示异常，大面积无法使用",
    ])
    func severityWordsAreUrgent(text: String) {
        let result = Self.classify(text, tier: .regular)
        #expect(result.level == .urgent)
        #expect(result.levelRule == .severityWords)
        #expect(!result.severityTerms.isEmpty)
    }

    @Test(arguments: ["建议全部商品都包邮", "Everyone in my family loves it"])
    func breadthWordsNeedANegativeText(text: String) {
        let result = Self.classify(text)
        #expect(result.level == .general)
        #expect(result.severityTerms.isEmpty)
    }

    @Test(arguments: [
        "快递太慢了，等了一个多星期",
        "The agent was rude and hung up on me.",
        "The app crashes every time I open it",
        "Way too expensive for what it is",
    ])
    func negativeComplaintIsImportant(text: String) {
        let result = Self.classify(text, tier: .new)
        #expect(result.level == .important)
        #expect(result.levelRule == .negativeComplaint)
    }

    @Test(arguments: [
        "希望能增加更多颜色可选",
        "质量很好，很满意",
        "请问你们周末几点开门？",
        "不太满意",  // negative, but names no area that owns a complaint
    ])
    func everythingElseIsGeneral(text: String) {
        let result = Self.classify(text)
        #expect(result.level == .general)
        #expect(result.levelRule == .defaultGeneral)
    }

    @Test func levelRuleNamesMatchTheEventSchema() {
        #expect(
            LevelRule.allCases.map(\.rawValue) == [
                "vip_customer", "severity_words", "incident", "strong_negative", "negative_complaint", "default_general",
            ])
    }

    // MARK: Taxonomy

    @Test func defaultTaxonomyIsValidAndComplete() {
        let taxonomy = Taxonomy.default
        #expect(taxonomy.validate().isEmpty)
        #expect(taxonomy.categories.map(\.category) == Category.allCases)
        #expect(taxonomy.categories.map { $0.subcategories.count } == [4, 4, 4, 4, 2, 0])
        for entry in taxonomy.categories {
            #expect(!entry.nameZh.isEmpty && !entry.nameEn.isEmpty)
            for sub in entry.subcategories {
                #expect(!sub.nameZh.isEmpty && !sub.nameEn.isEmpty)
                let hasChinese = sub.keywords.contains { $0.term.unicodeScalars.contains { !$0.isASCII } }
                let hasEnglish = sub.keywords.contains { $0.term.unicodeScalars.allSatisfy(\.isASCII) }
                #expect(hasChinese && hasEnglish, "\(sub.id) needs keywords in both languages")
            }
        }
    }

    @Test func validationReportsBrokenTaxonomies() {
        var taxonomy = Taxonomy.default
        taxonomy.categories.removeLast()
        taxonomy.categories[0].subcategories[1].id = "service.bug"
        taxonomy.categories.append(taxonomy.categories[1])
        let problems = taxonomy.validate()
        #expect(problems.contains("category other is missing; unmatched feedback needs somewhere to go"))
        #expect(problems.contains("sub-category service.bug must start with product."))
        #expect(problems.contains("category service appears more than once"))
    }

    @Test func customTaxonomy() {
        let taxonomy = Taxonomy(categories: [
            TaxonomyCategory(
                category: .product, nameZh: "产品", nameEn: "Product", department: "hardware",
                subcategories: [TaxonomySubcategory(id: "product.battery", nameZh: "电池", nameEn: "Battery", keywords: ["battery", "电池"])]
            ),
            TaxonomyCategory(category: .other, nameZh: "其他", nameEn: "Other", department: "front_desk"),
        ])
        let classifier = KeywordClassifier(taxonomy: taxonomy)
        let result = classifier.classify(text: "Battery drains in an hour", customerTier: nil)
        #expect(result.subcategory == "product.battery")
        #expect(result.department == "hardware")
        #expect(classifier.classify(text: "快递很慢", customerTier: nil).department == "front_desk")
    }
}
