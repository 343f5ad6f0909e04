/// Why a taxonomy file was refused: every problem found, each with its line.
///
/// Printed one problem a line as `FILE:LINE: reason`, the form editors and CI logs link to.
public struct TaxonomyFileError: Error, CustomStringConvertible, Sendable {
    /// One problem at one place in the file.
    public struct Problem: Hashable, Sendable {
        /// 1-based line of the offending node (the enclosing one for a missing key).
        public var line: Int
        /// What is wrong, naming the key or value.
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The path as given.
    public var file: String
    /// Problems in file order.
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        self.problems.map { "\(self.file):\($0.line): \($0.reason)" }.joined(separator: "\n")
    }
}
