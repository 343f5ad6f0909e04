/// Why a configuration file (taxonomy, surveys, SLA policies, notification routing, staff
/// directory) was refused: every problem found, each with its line.
///
/// Printed one problem a line as `FILE:LINE: reason`, the form editors and CI logs link to,
/// so that one run shows an operator everything there is to fix.
public struct ConfigFileError: Error, CustomStringConvertible, Sendable {
    /// One problem at one place in the file.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// 1-based line of the offending node (the enclosing one for a missing key).
        public var line: Int
        /// What is wrong, naming the key or value.
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }

        public var description: String { "line \(line): \(reason)" }
    }

    /// The path as given.
    public var file: String
    /// Problems in line order (stable for problems on one line).
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    public var description: String {
        self.problems.map { "\(self.file):\($0.line): \($0.reason)" }.joined(separator: "\n")
    }
}

/// The taxonomy file's errors are configuration errors like any other.
public typealias TaxonomyFileError = ConfigFileError
/// The survey file's errors are configuration errors like any other.
public typealias SurveyConfigurationError = ConfigFileError
