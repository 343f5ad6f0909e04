/// One occurrence of a pattern of a ``KeywordMatcher`` in a ``NormalizedText``.
struct KeywordMatch: Equatable {
    /// Index of the pattern in the matcher's term list.
    let index: Int
    /// Scalar offsets in the normalized text.
    let range: Range<Int>
}

/// Finds many keywords at once. ASCII terms match as whole words (allowing a few English
/// endings), other terms as substrings; everything is folded once, at init.
///
/// Patterns are bucketed by their first scalar, so a text costs one bucket lookup per scalar
/// (an array index for ASCII) whatever the number of terms, and only the few patterns that
/// start with that scalar are compared.
struct KeywordMatcher: Sendable {
    private let patterns: [[Unicode.Scalar]]
    private let wordBounded: [Bool]
    /// Pattern indices by first scalar, for ASCII first scalars.
    private let asciiBuckets: [[Int]]
    /// Pattern indices by first scalar, for the rest.
    private let otherBuckets: [Unicode.Scalar: [Int]]
    private static let suffixes: [[Unicode.Scalar]] = ["s", "es", "ed", "d", "ing"].map { Array($0.unicodeScalars) }

    init(terms: [String]) {
        let patterns = terms.map { NormalizedText.fold($0.trimmingSpaces) }
        var ascii = [[Int]](repeating: [], count: 128)
        var other: [Unicode.Scalar: [Int]] = [:]
        for (index, pattern) in patterns.enumerated() {
            guard let first = pattern.first else { continue }
            if first.isASCII {
                ascii[Int(first.value)].append(index)
            } else {
                other[first, default: []].append(index)
            }
        }
        self.patterns = patterns
        self.wordBounded = terms.map { term in term.unicodeScalars.allSatisfy { $0.isASCII } }
        self.asciiBuckets = ascii
        self.otherBuckets = other
    }

    /// Every occurrence of every term, ordered by start then by longer first.
    func matches(in text: NormalizedText) -> [KeywordMatch] {
        var found: [KeywordMatch] = []
        let s = text.scalars
        for start in s.indices {
            let first = s[start]
            let candidates: [Int]
            if first.isASCII {
                candidates = self.asciiBuckets[Int(first.value)]
            } else if let bucket = self.otherBuckets[first] {
                candidates = bucket
            } else {
                continue
            }
            for index in candidates {
                let pattern = self.patterns[index]
                let end = start + pattern.count
                guard end <= s.count, s[start..<end].elementsEqual(pattern) else { continue }
                if self.wordBounded[index] {
                    guard let wordEnd = Self.wordEnd(s, start: start, end: end, pattern: pattern) else { continue }
                    found.append(KeywordMatch(index: index, range: start..<wordEnd))
                } else {
                    found.append(KeywordMatch(index: index, range: start..<end))
                }
            }
        }
        found.sort { a, b in
            a.range.lowerBound != b.range.lowerBound ? a.range.lowerBound < b.range.lowerBound : a.range.count > b.range.count
        }
        return found
    }

    /// Where the word ends if the match sits on word boundaries, else nil.
    private static func wordEnd(_ s: [Unicode.Scalar], start: Int, end: Int, pattern: [Unicode.Scalar]) -> Int? {
        if start > 0, NormalizedText.isASCIIAlphanumeric(s[start - 1]), NormalizedText.isASCIIAlphanumeric(pattern[0]) {
            return nil
        }
        guard let last = pattern.last, NormalizedText.isASCIIAlphanumeric(last) else { return end }
        if end == s.count || !NormalizedText.isASCIIAlphanumeric(s[end]) {
            return end
        }
        guard last.properties.isAlphabetic else { return nil }
        for suffix in self.suffixes {
            let suffixEnd = end + suffix.count
            if suffixEnd <= s.count, s[end..<suffixEnd].elementsEqual(suffix),
                suffixEnd == s.count || !NormalizedText.isASCIIAlphanumeric(s[suffixEnd])
            {
                return suffixEnd
            }
        }
        return nil
    }

    /// Drops matches lying strictly inside a longer one, so "不好用" does not also count "好用".
    static func removingContained(_ matches: [KeywordMatch]) -> [KeywordMatch] {
        matches.filter { m in
            !matches.contains { other in
                other.range.count > m.range.count && other.range.lowerBound <= m.range.lowerBound
                    && other.range.upperBound >= m.range.upperBound
            }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
