import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// Checks a taxonomy file or prints one, so a company edits its own copy of the default.
struct TaxonomyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "Checks a taxonomy file, or exports one as YAML.",
        discussion: """
            With FILE, checks it the way the worker does at start and prints a summary, or every problem as FILE:LINE: reason (exit status 1). Without FILE, checks the file named by FEEDLOOP_TAXONOMY, or reports the built-in default.

            --export prints the configuration as YAML instead: the built-in default (what config/taxonomy.yaml holds), or FILE rewritten in the canonical layout. Start a company's taxonomy with `feedloop-classifier taxonomy --export > taxonomy.yaml`.
            """
    )

    @Flag(help: "Print the configuration as YAML.")
    var export = false

    @Argument(help: "A taxonomy YAML file.")
    var file: String?

    func run() throws {
        let loaded = try self.file.map { (path: Optional($0), file: try Self.load($0)) } ?? Self.loadConfigured(Environment())
        if self.export {
            print(loaded.file.yaml(), terminator: "")
            return
        }
        let t = loaded.file.taxonomy
        let subcategories = t.categories.map(\.subcategories.count).reduce(0, +)
        let keywords = t.categories.map { $0.keywords.count + $0.subcategories.map(\.keywords.count).reduce(0, +) }.reduce(0, +)
        print("\(loaded.path ?? "built-in default"): \(t.categories.count) categories, \(subcategories) sub-categories, \(keywords) keywords; valid")
    }

    /// The file named by FEEDLOOP_TAXONOMY, or the built-in default.
    static func loadConfigured(_ env: Environment) throws -> (path: String?, file: TaxonomyFile) {
        guard let path = env.optionalString("FEEDLOOP_TAXONOMY") else { return (nil, .default) }
        return (path, try self.load(path))
    }

    /// Loads a file; problems go to standard error as FILE:LINE: reason and end the process with status 1.
    static func load(_ path: String) throws -> TaxonomyFile {
        do {
            return try TaxonomyFile.load(path: path)
        } catch let error as TaxonomyFileError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            FileHandle.standardError.write(Data("feedloop-classifier: \(path) has \(error.problems.count) problem(s); not starting\n".utf8))
            throw ExitCode.failure
        }
    }
}
