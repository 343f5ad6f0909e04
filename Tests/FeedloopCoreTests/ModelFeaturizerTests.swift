import Testing

@testable import FeedloopCore

@Suite struct ModelFeaturizerTests {
    let featurizer = TextFeaturizer.default

    @Test func chineseRunsGiveUnigramsBigramsAndTrigrams() {
        // 4 characters: 4 unigrams + 3 bigrams + 2 trigrams, all distinct, and the script marker.
        #expect(self.featurizer.features(of: "物流太慢").count == 10)
        // Punctuation splits runs: two runs of two characters give 2 × (2 + 1).
        #expect(self.featurizer.features(of: "物流，太慢").count == 7)
    }

    @Test func englishGivesLowercasedWordsAndBigrams() {
        let a = self.featurizer.features(of: "Late delivery")
        #expect(a.count == 4, "two words, their bigram, the script marker")
        #expect(a == self.featurizer.features(of: "late DELIVERY"))
        #expect(a == self.featurizer.features(of: "ｌａｔｅ delivery"), "full-width letters fold to ASCII")
        // A clause break drops the bigram across it.
        #expect(self.featurizer.features(of: "late. delivery").count == 3)
    }

    @Test func negatedWordsGetTheirOwnFeature() {
        let good = Set(self.featurizer.features(of: "it is good"))
        let notGood = Set(self.featurizer.features(of: "it is not good"))
        let notGoodAfterBreak = Set(self.featurizer.features(of: "it is not, good"))
        #expect(!notGood.subtracting(good).isEmpty)
        // "not good" has words it, is, not, good; bigrams it-is, is-not, not-good; negated good.
        // (plus the script marker)
        #expect(notGood.count == 9)
        #expect(notGoodAfterBreak.count == 7, "the comma ends the negation and the bigram")
    }

    @Test func featuresAreSortedDistinctAndWithinBuckets() {
        let f = TextFeaturizer(bucketBits: 10).features(of: "好好好好 good good good 手机 phone 手机")
        #expect(f == f.sorted())
        #expect(Set(f).count == f.count)
        #expect(f.allSatisfy { $0 < 1024 })
    }

    @Test func latinWordsInsideChineseTextAreWords() {
        let mixed = Set(self.featurizer.features(of: "这个app很好用"))
        let app = Set(self.featurizer.features(of: "app app"))
        #expect(app.subtracting(mixed).count == 2, "only the English marker and the app-app bigram differ")
    }

    @Test func hashingIsStableAcrossRuns() {
        // Fixed values: a change of the hash would silently invalidate every stored model.
        let marker = FNV.mix(FNV.mix(FNV.offset, 8), 0) & 0x3FFFF
        #expect(self.featurizer.features(of: "a") == [FNV.mix(FNV.offset, 0x61) & 0x3FFFF, marker].sorted())
    }
}
