/// Rows of a training file that cannot be used, each with its line, field and reason.
public struct TrainingDataError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One bad row.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var field: String?
        public var reason: String

        public init(line: Int, field: String?, reason: String) {
            self.line = line
            self.field = field
            self.reason = reason
        }

        public var description: String {
            if let field { return "line \(self.line): \(field): \(self.reason)" }
            return "line \(self.line): \(self.reason)"
        }
    }

    /// Every problem found, in line order (reading goes on after the first so one run shows them all).
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// The first twenty problems, one per line, and how many more there were.
    public var description: String {
        let shown = self.problems.prefix(20).map(\.description)
        let more = self.problems.count > 20 ? ["… and \(self.problems.count - 20) more bad rows"] : []
        return (["\(self.problems.count) bad row(s) in the training data:"] + shown + more).joined(separator: "\n")
    }
}
