/// The overlapping pieces of a text that near-duplicate detection compares.
///
/// The text is folded like keywords are (case, full-width forms), then cut into units: a run
/// of ASCII letters and digits is one unit (an English word, a model number), every other
/// letter or digit is a unit of its own (a Chinese character), and punctuation, spaces and
/// emoji only separate. The shingles are the units and the runs of two and three neighbouring
/// units, so "App 打不开！" and "app打不开" give the same shingles, and Chinese needs no word
/// segmenter. (Pairs and triples together make short texts' fingerprints steadier than pairs
/// alone: one added character moves fewer bits.)
public enum Shingles {
    /// Folded units of `text`, in order.
    public static func units(of text: String) -> [String] {
        var units: [String] = []
        var word = String.UnicodeScalarView()
        func flushWord() {
            if !word.isEmpty {
                units.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        for scalar in NormalizedText.fold(text) {
            if NormalizedText.isASCIIAlphanumeric(scalar) {
                word.append(scalar)
            } else if !scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                flushWord()
                units.append(String(Character(scalar)))
            } else {
                flushWord()
            }
        }
        flushWord()
        return units
    }

    /// The shingles of `text`: its units, then runs of two, then runs of three.
    public static func of(_ text: String) -> [String] {
        let units = self.units(of: text)
        var shingles = units
        for n in 2...3 where units.count >= n {
            for end in n...units.count {
                shingles.append(units[(end - n)..<end].joined(separator: "\u{1F}"))
            }
        }
        return shingles
    }
}
