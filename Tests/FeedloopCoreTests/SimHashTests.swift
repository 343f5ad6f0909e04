import FeedloopCore
import Testing

/// SimHash fingerprints: stable, insensitive to case, width and punctuation, close for
/// near-identical texts and far for different ones, in Chinese and English.
struct SimHashTests {
    @Test func fingerprintsAreDeterministic() {
        // A stored fingerprint is compared by other processes: it must not depend on a seed.
        #expect(SimHash(text: "App打不开了，一直闪退").value == SimHash(text: "App打不开了，一直闪退").value)
        #expect(SimHash(text: "The app crashes on login").description == SimHash(text: "The app crashes on login").description)
        // Pinned: a change to shingling or hashing would orphan every stored fingerprint.
        #expect(SimHash(text: "App打不开了，一直闪退").description == "15a9982003858215")
        #expect(SimHash(text: "").value == 0)
        #expect(SimHash(text: "！！ …").value == 0)
    }

    @Test func caseWidthSpacingAndPunctuationDoNotMatter() {
        let a = SimHash(text: "App打不开了，一直闪退，请尽快处理")
        #expect(a.distance(to: SimHash(text: "app 打不开了 一直闪退 请尽快处理！！")) == 0)
        #expect(a.distance(to: SimHash(text: "ＡＰＰ打不开了,一直闪退,请尽快处理")) == 0)
        let e = SimHash(text: "The app crashes every time I open it")
        #expect(e.distance(to: SimHash(text: "the APP crashes every time i open it!!!")) == 0)
    }

    @Test func nearIdenticalTextsAreClose() {
        let pairs = [
            ("我买的耳机左边没有声音，已经联系客服三次了都没人处理，请尽快给我换货", "我买的耳机左边没有声音，已经联系客服三次了都没人处理，请尽快给我换货吧"),
            (
                "I ordered the blue jacket two weeks ago and the tracking still shows it has not left the warehouse",
                "I ordered the blue jacket two weeks ago and the tracking still shows it has not left the warehouse yet"
            ),
        ]
        for (a, b) in pairs {
            #expect(SimHash(text: a).distance(to: SimHash(text: b)) <= DuplicateRules.default.maxDistance, "\(a) / \(b)")
            #expect(DuplicateRules.default.isDuplicate(SimHash(text: b), of: SimHash(text: a)))
        }
    }

    @Test func differentTextsAreFar() {
        let texts = [
            "App打不开了，一直闪退，请尽快处理", "快递三天了还没到，物流信息也不更新", "客服态度很差，问了半天没人回答", "价格比别家贵太多了，要求退差价",
            "The app crashes every time I open it since the update", "My package arrived damaged and nobody answers the phone",
            "Please add a dark mode to the app", "Refund still not received after two weeks",
        ]
        for (i, a) in texts.enumerated() {
            for b in texts[(i + 1)...] {
                #expect(SimHash(text: a).distance(to: SimHash(text: b)) > 12, "\(a) / \(b)")
                #expect(!DuplicateRules.default.isDuplicate(SimHash(text: b), of: SimHash(text: a)))
            }
        }
    }

    @Test func bandsFindEveryNeighbourWithinSevenBits() {
        let base = SimHash(text: "支付页面一直报错，付不了款")
        // Flip 7 bits spread over all bands: at least one band is untouched, so a key is shared.
        var flipped = base.value
        for bit in [0, 9, 18, 27, 36, 45, 54] { flipped ^= 1 << UInt64(bit) }
        let near = SimHash(value: flipped)
        #expect(base.distance(to: near) == 7)
        #expect(!Set(base.bands).isDisjoint(with: near.bands))
        #expect(base.bands.count == SimHash.bandCount)
        // Every band key says which band it is, so equal bytes of different bands never match.
        #expect(Set(base.bands.map { $0 / 256 }) == Set(0..<8))
        #expect(SimHash(bitPattern: base.bitPattern) == base)
    }

    @Test func shinglesCutChineseIntoCharactersAndEnglishIntoWords() {
        #expect(Shingles.units(of: "App 打不开！v2") == ["app", "打", "不", "开", "v2"])
        #expect(Shingles.of("ab 打") == ["ab", "打", "ab\u{1F}打"])
        #expect(Shingles.of("a b c").count == 3 + 2 + 1)
    }
}
