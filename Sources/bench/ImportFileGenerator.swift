import Foundation

/// A deterministic, realistic import file: mixed Chinese and English feedback, some texts
/// quoted with commas and line breaks, customers repeating across rows, ~10% of rows without
/// an external_id and ~1% invalid (empty text, unknown tier, unknown channel).
struct ImportFileGenerator {
    var rows: Int
    var format: String

    struct Result {
        var rows = 0
        var invalid = 0
        var withoutExternalId = 0
        var bytes = 0
    }

    static let zh = [
        "App 登录一直失败，提示网络错误，已经重试很多次了", "快递三天还没到，物流信息一直不更新", "客服态度很好，问题很快就解决了，谢谢",
        "退款申请提交一周了还没有处理，非常失望", "收到的商品有破损，包装也压坏了", "会员积分没有到账，请帮忙查一下",
        "页面加载特别慢，经常卡住无法使用", "价格比上周贵了很多，感觉被坑了", "新版本的界面很好看，操作也更方便了",
    ]
    static let en = [
        "The app keeps crashing when I open my order history", "Delivery was two days late and nobody told me",
        "Great support, the agent fixed my billing issue in minutes", "I was charged twice for the same order, please refund",
        "The product arrived damaged, the box was crushed", "Cannot reset my password, the email never arrives",
        "Love the new checkout, much faster than before", "Your prices went up again without any notice",
    ]
    static let channels = ["hotline", "chat", "store", "email", "social", "survey", "return_visit", "research"]
    static let tiers = ["vip", "regular", "new", ""]

    func write(to path: String) throws -> Result {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var result = Result()
        var out = ""
        if format == "csv" {
            out += "channel,external_id,text,customer_ref,customer_tier,customer_name,customer_phone,customer_email,customer_locale,received_at\n"
        }
        var random = SplitMix(seed: 42)
        for i in 0..<rows {
            let chinese = random.next() % 2 == 0
            var text = chinese ? Self.zh[Int(random.next() % UInt64(Self.zh.count))] : Self.en[Int(random.next() % UInt64(Self.en.count))]
            let roll = random.next() % 1000
            if roll < 30 { text += chinese ? "，订单号 \(i)，\n第二行补充说明" : ", order \(i),\n\"second\" line" }
            var channel = Self.channels[Int(random.next() % UInt64(Self.channels.count))]
            var tier = Self.tiers[Int(random.next() % UInt64(Self.tiers.count))]
            if roll >= 990 {
                result.invalid += 1
                switch roll % 3 {
                case 0: text = "  "
                case 1: tier = "gold"
                default: channel = "fax"
                }
            }
            let noExternal = random.next() % 10 == 0
            if noExternal { result.withoutExternalId += 1 }
            let external = noExternal ? "" : "EXT-\(i)"
            let customer = random.next() % 4 == 0 ? "" : "C\(random.next() % 20_000)"
            let name = customer.isEmpty ? "" : (chinese ? "张伟" : "Alex Smith")
            let phone = customer.isEmpty ? "" : "+86138\(String(format: "%08d", Int(random.next() % 100_000_000)))"
            let email = customer.isEmpty || chinese ? "" : "user\(customer)@example.com"
            let locale = customer.isEmpty ? "" : (chinese ? "zh-CN" : "en")
            let receivedAt = "2026-0\(1 + i % 9)-1\(i % 10)T0\(i % 10):15:00Z"
            if format == "csv" {
                out += "\(channel),\(external),\(Self.csvField(text)),\(customer),\(tier),\(name),\(phone),\(email),\(locale),\(receivedAt)\n"
            } else {
                var object: [String: Any] = ["channel": channel, "text": text, "received_at": receivedAt]
                if !external.isEmpty { object["external_id"] = external }
                var c: [String: String] = [:]
                for (k, v) in [("ref", customer), ("tier", tier), ("name", name), ("phone", phone), ("email", email), ("locale", locale)] where !v.isEmpty {
                    c[k] = v
                }
                if !c.isEmpty { object["customer"] = c }
                out += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
            }
            result.rows += 1
            if out.utf8.count > 1 << 20 {
                result.bytes += out.utf8.count
                try handle.write(contentsOf: Data(out.utf8))
                out = ""
            }
        }
        result.bytes += out.utf8.count
        try handle.write(contentsOf: Data(out.utf8))
        return result
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// A small deterministic generator, so every run benchmarks the same file.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
