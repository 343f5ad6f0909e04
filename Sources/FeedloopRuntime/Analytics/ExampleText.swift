import FeedloopCore

/// A ticket's text as an example in a report: e-mail addresses and phone-like digit runs
/// masked with ``PersonalDataMask``, whitespace collapsed, cut to ``maximumLength``
/// characters. Names in free text cannot be found reliably, so examples are short.
public enum ExampleText {
    public static let maximumLength = 80

    public static func excerpt(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let masked = words.map { maskWord(String($0)) }.joined(separator: " ")
        let digitsMasked = maskDigitRuns(masked)
        guard digitsMasked.count > maximumLength else { return digitsMasked }
        return String(digitsMasked.prefix(maximumLength - 1)) + "…"
    }

    /// Masks a word holding an e-mail address.
    static func maskWord(_ word: String) -> String {
        guard let at = word.firstIndex(of: "@"), at != word.startIndex, word[word.index(after: at)...].contains(".") else { return word }
        // Keep punctuation around the address (a trailing comma, brackets).
        let trimmed = word.trimmingCharacters(in: .init(charactersIn: "()[]<>,;:\"'，。；："))
        return word.replacingOccurrences(of: trimmed, with: PersonalDataMask.email(trimmed))
    }

    /// Masks every run of 7 or more digits (spaces and dashes inside a run allowed) as a phone
    /// number: first three and last four kept.
    static func maskDigitRuns(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            let digits = run.filter(\.isASCIIDigitCharacter)
            if digits.count >= 7 {
                var masked = PersonalDataMask.phone((run.hasPrefix("+") ? "+" : "") + digits)
                // Keep trailing separators the run swallowed.
                while let last = run.last, !last.isASCIIDigitCharacter {
                    masked.append(last)
                    run.removeLast()
                }
                out += masked
            } else {
                out += run
            }
            run = ""
        }
        for ch in text {
            if ch.isASCIIDigitCharacter || (!run.isEmpty && (ch == "-" || ch == " ")) || (run.isEmpty && ch == "+") {
                run.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
