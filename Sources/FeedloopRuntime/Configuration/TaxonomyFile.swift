import FeedloopCore
import Foundation
import Yams

/// What a company configures about classification, read from YAML (`FEEDLOOP_TAXONOMY`):
/// the taxonomy, the level rules and the duplicate rules. The format is in docs/TAXONOMY.md;
/// `config/taxonomy.yaml` holds the built-in default and a test keeps the two equal.
public struct TaxonomyFile: Hashable, Sendable {
    /// Categories, sub-categories, keywords, departments and ignored phrases.
    public var taxonomy: Taxonomy
    /// How items are graded.
    public var levelRules: LevelRules
    /// When an item repeats the same customer's earlier one.
    public var duplicateRules: DuplicateRules

    public init(taxonomy: Taxonomy, levelRules: LevelRules, duplicateRules: DuplicateRules) {
        self.taxonomy = taxonomy
        self.levelRules = levelRules
        self.duplicateRules = duplicateRules
    }

    /// The built-in configuration (ARCHITECTURE §1).
    public static let `default` = TaxonomyFile(taxonomy: .default, levelRules: .default, duplicateRules: .default)

    /// Reads and checks the file at `path`; throws ``TaxonomyFileError`` listing every problem.
    public static func load(path: String) throws -> TaxonomyFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TaxonomyFileError(file: path, problems: [.init(line: 1, reason: "cannot read the file as UTF-8: \(error.localizedDescription)")])
        }
        return try self.parse(yaml: text, file: path)
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws -> TaxonomyFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw TaxonomyFileError(file: file, problems: [Self.problem(of: error)])
        }
        guard let root else {
            throw TaxonomyFileError(file: file, problems: [.init(line: 1, reason: "the file is empty; expected a mapping with categories")])
        }
        let parser = TaxonomyFileParser()
        let result = parser.file(root)
        guard parser.problems.isEmpty, let result else {
            throw TaxonomyFileError(file: file, problems: parser.problems.sorted { $0.line < $1.line })
        }
        return result
    }

    /// The YAML syntax error with its line.
    private static func problem(of error: YamlError) -> TaxonomyFileError.Problem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .init(line: mark.line, reason: "invalid YAML: \(problem)")
        default:
            return .init(line: 1, reason: "invalid YAML: \(error)")
        }
    }
}
