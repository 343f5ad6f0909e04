import Foundation

/// Feedback items for the end-to-end tests: Chinese and English, every channel, written for
/// these tests.
enum SampleFeedback {
    static let channels = ["hotline", "chat", "store", "email", "social", "survey", "return_visit", "research"]
    static let texts = [
        "手机用了三天就死机，屏幕也坏了",
        "快递一直没有送到，物流信息五天没更新",
        "客服态度很差，打了三次电话都没人理",
        "价格太贵了，活动规则也看不懂",
        "建议增加夜间模式，希望下个版本能加上",
        "The app crashes every time I open the camera after the update",
        "My parcel arrived late and the box was damaged",
        "Support never replied to my email, very rude when they finally called",
        "Too expensive for what you get, and the coupon did not apply",
        "It would be nice if you could add an export button",
        "耳机充不进电，已经是第二次出现这个问题了",
        "Everything was fine, thanks for the quick help",
    ]

    /// Item `index` as JSON, with a channel-unique external id.
    static func item(_ index: Int, run: String) -> Data {
        let body: [String: Any] = [
            "channel": channels[index % channels.count],
            "external_id": "\(run)-\(index)",
            "text": texts[index % texts.count] + " (#\(index))",
            "customer": ["ref": "c-\(index % 97)", "tier": index % 50 == 0 ? "vip" : "regular"],
        ]
        return try! JSONSerialization.data(withJSONObject: body)
    }
}
