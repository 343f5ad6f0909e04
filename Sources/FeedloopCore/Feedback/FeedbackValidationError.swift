/// Why a feedback submission was refused: every field problem found, one line each.
public struct FeedbackValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in field order.
    public var errors: [FieldError]
    /// The line of the import file the record starts on, when it came from a file.
    public var line: Int?

    /// Creates an error.
    public init(errors: [FieldError], line: Int? = nil) {
        self.errors = errors
        self.line = line
    }

    /// The fields that had problems, for assertions and metrics.
    public var fields: [String] { self.errors.map(\.field) }

    /// One line per problem, prefixed by the file line when known.
    public var description: String {
        let prefix = self.line.map { "line \($0): " } ?? ""
        return self.errors.map { prefix + $0.description }.joined(separator: "\n")
    }
}
