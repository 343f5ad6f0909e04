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

    /// Reads and checks the file at `path`; throws ``ConfigFileError`` listing every problem.
    public static func load(path: String) throws -> TaxonomyFile {
        try self.parse(yaml: try ConfigFileReader.read(path: path), file: path)
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws -> TaxonomyFile {
        guard let root = try ConfigFileReader.compose(yaml: yaml, file: file) else {
            throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "the file is empty; expected a mapping with categories")])
        }
        let parser = TaxonomyFileParser()
        let result = parser.file(root)
        try parser.reader.check(file: file)
        guard let result else { throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "the file holds no taxonomy")]) }
        return result
    }
}
