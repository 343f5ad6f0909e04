import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ImportRowValidatorTests {
    static func values(_ pairs: [ImportField: String]) -> ImportValues {
        var v = ImportValues()
        for (field, value) in pairs { v[field] = value }
        return v
    }

    static let rows: [[ImportField: String]] = [
        [.channel: "chat", .text: "无法登录"],
        [.channel: "chat", .text: "无法登录", .externalId: "T-1", .customerRef: "C1", .customerTier: "vip"],
        [.channel: "email", .text: "late", .customerRef: "C2", .customerPhone: "+8613812341234", .customerEmail: "a@example.com", .customerLocale: "zh-cn"],
        [.channel: "store", .text: "ok", .customerRef: "C3", .customerName: "张伟", .receivedAt: "2026-02-28T23:59:59.123Z"],
        [.channel: "hotline", .text: "ok", .receivedAt: "2026-03-31T08:00:00Z"],
        [.channel: "hotline", .text: "ok", .receivedAt: "2026-03-31T08:00:00+08:00"],
        [.channel: "Chat", .text: " padded "],
        [.channel: "chat", .text: "ok", .customerTier: "VIP"],
        [.text: "no channel"],
    ]

    /// Equal, with timestamps equal to the millisecond (the two parsers may differ in the last
    /// bit of the Double; what is stored and sent is the millisecond).
    static func same(_ a: FeedbackSubmission, _ b: FeedbackSubmission) -> Bool {
        var a = a
        var b = b
        guard abs((a.receivedAt?.timeIntervalSince1970 ?? 0) - (b.receivedAt?.timeIntervalSince1970 ?? 0)) < 0.0001 else { return false }
        a.receivedAt = nil
        b.receivedAt = nil
        return a == b
    }

    @Test(arguments: rows)
    func fastPathAgreesWithTheGeneralParser(row: [ImportField: String]) throws {
        let values = Self.values(row)
        for fallback in [Channel?.none, .survey] {
            let general = Result { () throws(FeedbackValidationError) in try ImportRowValidator.general(values, defaultChannel: fallback) }
            if let fast = ImportRowValidator.fastPath(values, defaultChannel: fallback) {
                #expect(Self.same(try general.get(), fast))
            }
            let both = Result { () throws(FeedbackValidationError) in try ImportRowValidator.validate(values, defaultChannel: fallback) }
            switch (general, both) {
            case (.success(let a), .success(let b)): #expect(Self.same(a, b))
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("the two paths disagree on \(row)")
            }
        }
    }

    @Test func theFastPathTakesPlainRowsAndLeavesTheRest() {
        #expect(ImportRowValidator.fastPath(Self.values(Self.rows[1]), defaultChannel: nil) != nil)
        #expect(ImportRowValidator.fastPath(Self.values(Self.rows[6]), defaultChannel: nil) == nil)
        #expect(
            ImportRowValidator.fastPath(Self.values([.channel: "chat", .text: "x", .customerPhone: "12ab", .customerRef: "C"]), defaultChannel: nil) == nil)
    }

    @Test(arguments: ["1970-01-01T00:00:00Z", "2026-11-23T08:15:00Z", "2000-02-28T12:34:56.789Z", "2099-12-28T23:59:59.001Z"])
    func timestampsMatchFeedloopJSON(text: String) {
        let fast = ImportRowValidator.parseUTCTimestamp(text)!.timeIntervalSince1970
        #expect(abs(fast - FeedloopJSON.parseTimestamp(text)!.timeIntervalSince1970) < 0.0001)
    }
}
