import FeedloopCore

/// Labeled feedback made up from phrase templates, for benchmarking where the real datasets
/// are not available; deterministic.
enum GeneratedFeedback {
    private static let parts: [(Category, Sentiment, String)] = [
        (.product, .negative, "手机用了三天屏幕就出现裂缝，质量太差了"),
        (.product, .negative, "The app crashes every time I open the camera and then freezes."),
        (.product, .positive, "电池很耐用，拍照效果也很清晰，非常满意"),
        (.product, .positive, "Great sound quality and the battery lasts all day."),
        (.service, .negative, "打了三次客服电话都没人理，回复太慢了"),
        (.service, .negative, "The agent was rude and hung up on me."),
        (.service, .positive, "客服小姐姐很耐心，问题很快就解决了"),
        (.service, .positive, "Support was friendly and solved my issue in minutes."),
        (.logistics, .negative, "下单一个星期了快递还没到，物流太慢"),
        (.logistics, .negative, "The parcel arrived late and the box was crushed."),
        (.logistics, .positive, "物流很快，第二天就到了，包装完好"),
        (.logistics, .positive, "Delivery was fast and the package was well protected."),
        (.price, .negative, "这个价格太贵了，比别家贵一百多"),
        (.price, .negative, "Way too expensive for what it is."),
        (.price, .positive, "活动价很划算，性价比高"),
        (.price, .positive, "Good value for money, cheaper than the store."),
        (.other, .neutral, "请问你们门店周末几点开门"),
        (.other, .neutral, "What are your opening hours on Sunday?"),
    ]
    private static let tails = ["", "，希望尽快处理", " Please reply soon.", "。谢谢", "!!", "，第二次买了"]

    static func examples(count: Int) -> [LabeledExample] {
        (0..<count).map { i in
            let (category, sentiment, text) = self.parts[i % self.parts.count]
            let tail = self.tails[(i / self.parts.count) % self.tails.count]
            return LabeledExample(line: i + 1, text: text + tail + String(repeating: " ", count: i % 3), categories: [category], sentiment: sentiment)
        }
    }
}
