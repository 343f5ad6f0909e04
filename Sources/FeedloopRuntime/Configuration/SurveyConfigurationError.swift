/// Why a survey file was refused: every problem found, each as `FILE:LINE: reason`, so that an
/// operator can fix them all at once. The producer does not start with an invalid file.
public struct SurveyConfigurationError: Error, CustomStringConvertible, Sendable {
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public var file: String
    /// In line order.
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems.sorted { $0.line < $1.line }
    }

    public var description: String {
        problems.map { "\(file):\($0.line): \($0.reason)" }.joined(separator: "\n")
    }
}
