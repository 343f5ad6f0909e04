/// Turns text into hashed feature ids for the statistical model, with no word segmenter.
///
/// - Runs of CJK ideographs give character unigrams, bigrams and trigrams: Chinese words are
///   mostly one to three characters, so overlapping n-grams cover them without a dictionary.
/// - Runs of letters and digits (English, or Latin words inside Chinese text) give lowercased
///   words and word bigrams. A word after an English negator ("not", "never", "don't"), up to the
///   end of the clause, gets a separate feature, so "not good" does not count as "good".
/// - Every feature is hashed (FNV-1a, 32 bits) into `2^bucketBits` buckets: no vocabulary to
///   build or store, and the same text always gives the same ids on every machine.
///
/// One more feature marks the script (any ideograph, or none).
///
/// Features are returned sorted and without repeats: the model counts whether a feature occurs
/// in a text, not how often (binarized naive Bayes, which is more accurate on short reviews).
public struct TextFeaturizer: Hashable, Sendable, Codable {
    /// log2 of the number of buckets.
    public let bucketBits: Int
    private var mask: UInt32 { UInt32(truncatingIfNeeded: (1 << self.bucketBits) - 1) }

    /// The default: 2^18 buckets, few enough collisions for tens of thousands of reviews.
    public static let `default` = TextFeaturizer(bucketBits: 18)

    /// Creates a featurizer with `2^bucketBits` buckets (10…24).
    public init(bucketBits: Int) {
        precondition((10...24).contains(bucketBits), "bucketBits must be within 10...24")
        self.bucketBits = bucketBits
    }

    /// The number of distinct feature ids.
    public var bucketCount: Int { 1 << self.bucketBits }

    /// The sorted, distinct feature ids of `text`.
    public func features(of text: String) -> [UInt32] {
        var out: [UInt32] = []
        self.features(of: text, into: &out)
        return out
    }

    /// Fills `out` (cleared first) with the sorted, distinct feature ids of `text`; reusing one
    /// buffer avoids an allocation per text on the hot path.
    public func features(of text: String, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        var state = ScanState()
        for scalar in text.unicodeScalars {
            let v = Self.fold(scalar.value)
            if Self.isIdeograph(v) {
                state.endWord(into: &out)
                state.cjk(v, into: &out)
            } else if Self.isWordScalar(v) || (v == 0x27 && state.wordLength > 0) {
                state.resetCJK()
                state.wordScalar(v)
            } else {
                state.endWord(into: &out)
                state.resetCJK()
                if v != 0x20 {
                    // Punctuation ends a clause: the previous word no longer pairs with the next.
                    state.previousWord = nil
                    state.negated = false
                }
            }
        }
        state.endWord(into: &out)
        // One feature for the script, so the counts of each class per script act as a prior
        // per language: Chinese and English reviews rarely share the same label mix.
        out.append(FNV.mix(FNV.mix(FNV.offset, state.sawIdeograph ? 7 : 8), 0))
        let mask = self.mask
        for i in out.indices {
            out[i] &= mask
        }
        out.sort()
        Self.removeRepeats(&out)
    }

    private static func removeRepeats(_ a: inout [UInt32]) {
        guard a.count > 1 else { return }
        var write = 1
        for read in 1..<a.count where a[read] != a[write - 1] {
            a[write] = a[read]
            write += 1
        }
        a.removeLast(a.count - write)
    }

    /// Lowercase ASCII, plain ASCII for full-width forms, a space for the ideographic space.
    @inline(__always)
    static func fold(_ v: UInt32) -> UInt32 {
        switch v {
        case 0x41...0x5A: return v + 0x20
        case 0xFF01...0xFF5E: return fold(v - 0xFEE0)
        case 0x3000: return 0x20
        case 0x2019: return 0x27
        case 0xC0...0xDE where v != 0xD7: return v + 0x20
        default: return v
        }
    }

    @inline(__always)
    static func isIdeograph(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x2FA1F).contains(v)
    }

    /// Letters and digits that make up words: ASCII, Latin-1 and Latin Extended letters, and
    /// the letters of other alphabetic scripts (Cyrillic, Greek…) outside punctuation blocks.
    @inline(__always)
    static func isWordScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x30...0x39, 0x61...0x7A: return true
        case 0xDF...0xFF: return v != 0xF7
        case 0x100...0x24F, 0x370...0x52F: return true
        default: return false
        }
    }
}

/// FNV-1a over 32-bit values, with a distinct seed per feature kind so that a word and a
/// character n-gram never share a hash by construction.
enum FNV {
    static let offset: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619

    @inline(__always)
    static func mix(_ hash: UInt32, _ value: UInt32) -> UInt32 {
        var h = hash
        h = (h ^ (value & 0xFF)) &* prime
        h = (h ^ ((value >> 8) & 0xFF)) &* prime
        h = (h ^ ((value >> 16) & 0xFF)) &* prime
        h = (h ^ (value >> 24)) &* prime
        return h
    }
}

/// What the featurizer remembers while it walks a text.
private struct ScanState {
    /// The last two ideographs of the current CJK run (0 when absent).
    var cjk1: UInt32 = 0
    var cjk2: UInt32 = 0
    /// The hash and length of the word being read.
    var wordHash: UInt32 = FNV.offset
    var wordLength = 0
    /// The previous word of the clause, for word bigrams.
    var previousWord: UInt32?
    /// Whether a negator was seen earlier in this clause.
    var negated = false
    /// Whether the text had any CJK ideograph.
    var sawIdeograph = false

    private static let unigramSeed: UInt32 = 1
    private static let bigramSeed: UInt32 = 2
    private static let trigramSeed: UInt32 = 3
    private static let wordBigramSeed: UInt32 = 5
    private static let negatedSeed: UInt32 = 6

    /// FNV-1a hashes of the English negators, computed the way words are hashed below.
    private static let negators: Set<UInt32> = Set(
        [
            "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "can't",
            "cannot", "couldn't", "wouldn't", "shouldn't", "hardly", "without", "nothing", "nor", "dont", "didnt", "doesnt",
            "isnt", "wasnt", "cant", "wont",
        ].map(ScanState.hashWord)
    )

    static func hashWord(_ word: String) -> UInt32 {
        var h = FNV.offset
        for s in word.unicodeScalars { h = FNV.mix(h, s.value) }
        return h
    }

    @inline(__always)
    mutating func cjk(_ v: UInt32, into out: inout [UInt32]) {
        out.append(FNV.mix(FNV.mix(FNV.offset, Self.unigramSeed), v))
        if self.cjk1 != 0 {
            out.append(FNV.mix(FNV.mix(FNV.mix(FNV.offset, Self.bigramSeed), self.cjk1), v))
            if self.cjk2 != 0 {
                out.append(FNV.mix(FNV.mix(FNV.mix(FNV.mix(FNV.offset, Self.trigramSeed), self.cjk2), self.cjk1), v))
            }
        }
        self.cjk2 = self.cjk1
        self.cjk1 = v
        self.sawIdeograph = true
        // A Chinese clause breaks English word pairs.
        self.previousWord = nil
        self.negated = false
    }

    @inline(__always)
    mutating func resetCJK() {
        self.cjk1 = 0
        self.cjk2 = 0
    }

    @inline(__always)
    mutating func wordScalar(_ v: UInt32) {
        self.wordHash = FNV.mix(self.wordHash, v)
        self.wordLength += 1
    }

    mutating func endWord(into out: inout [UInt32]) {
        guard self.wordLength > 0 else { return }
        let word = self.wordHash
        self.wordHash = FNV.offset
        self.wordLength = 0
        out.append(word)
        if let previous = self.previousWord {
            out.append(FNV.mix(FNV.mix(FNV.mix(FNV.offset, Self.wordBigramSeed), previous), word))
        }
        if self.negated {
            out.append(FNV.mix(FNV.mix(FNV.offset, Self.negatedSeed), word))
        }
        if Self.negators.contains(word) {
            self.negated = true
        }
        self.previousWord = word
    }
}
