import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ImportEventEncoderTests {
    static let texts = [
        "登录失败，请尽快处理", "plain", "quote \" backslash \\ slash / tab \t newline \n cr \r", "emoji 😀 and é",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}\u{2028}",
    ]

    @Test(arguments: texts)
    func matchesTheEnvelopeEncoderByteForByte(text: String) throws {
        // Fractions exact in binary: Foundation truncates the Double's digits, the encoder rounds to
        // the nearest millisecond, and the two agree whenever the value is exact.
        let at = Date(timeIntervalSince1970: 1_795_000_000.125)
        for (tier, external) in [(CustomerTier?.some(.vip), String?.some("E-1/2")), (nil, nil)] {
            let event = FeedbackReceived(
                ticketId: 98765, channel: .returnVisit, externalId: external, text: text, customerTier: tier,
                receivedAt: Date(timeIntervalSince1970: 1_700_000_000.5)
            )
            var fast: [UInt8] = []
            ImportEventEncoder.feedbackReceived(event, occurredAt: at, into: &fast)
            let expected = try Envelope(event, occurredAt: at).encoded()
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test(arguments: [0.0, 951_782_400.875, 1_709_164_800.125, 4_102_444_799.5, -86_400.25])
    func timestampsMatchFeedloopJSON(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        var out: [UInt8] = []
        ImportEventEncoder.appendTimestamp(date, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == FeedloopJSON.formatTimestamp(date))
    }
}
