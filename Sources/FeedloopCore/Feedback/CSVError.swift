/// A CSV syntax error, with the line it was found on.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong; compare errors by this.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case unterminatedQuote, textAfterClosingQuote
        }
        fileprivate let base: Base

        /// The input ended inside a quoted field.
        public static let unterminatedQuote = Code(base: .unterminatedQuote)
        /// Something other than a separator or line end followed a closing quote (`"a"b`).
        public static let textAfterClosingQuote = Code(base: .textAfterClosingQuote)

        public var description: String {
            switch self.base {
            case .unterminatedQuote: return "unterminated_quote"
            case .textAfterClosingQuote: return "text_after_closing_quote"
            }
        }
    }

    /// The error's kind.
    public var code: Code
    /// The line of the problem; for an unterminated quote, the line its record starts on.
    public var line: Int

    /// Creates an error.
    public init(code: Code, line: Int) {
        self.code = code
        self.line = line
    }

    public var description: String {
        switch self.code {
        case .unterminatedQuote:
            return "line \(self.line): quoted field is never closed"
        default:
            return "line \(self.line): unexpected text after a closing quote; double a quote inside a quoted field"
        }
    }
}
