import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// The taxonomy file: the shipped default equals the built-in one, and every kind of mistake
/// is reported with its line.
struct TaxonomyFileTests {
    static let shipped = TestServers.repositoryRoot.appendingPathComponent("config/taxonomy.yaml").path

    @Test func shippedFileIsExactlyTheBuiltInDefault() throws {
        let file = try TaxonomyFile.load(path: Self.shipped)
        #expect(file.taxonomy == Taxonomy.default)
        #expect(file.levelRules == LevelRules.default)
        #expect(file.duplicateRules == DuplicateRules.default)
        #expect(file == TaxonomyFile.default)
    }

    @Test func exportReadsBackUnchanged() throws {
        #expect(try TaxonomyFile.parse(yaml: TaxonomyFile.default.yaml(), file: "export") == TaxonomyFile.default)
        #expect(try String(contentsOfFile: Self.shipped, encoding: .utf8) == TaxonomyFile.default.yaml(), "regenerate config/taxonomy.yaml")
    }

    @Test func settingsOverrideTheDefaults() throws {
        let file = try TaxonomyFile.parse(
            yaml: """
                categories:
                  - id: product
                    department: engineering
                    keywords:
                      - weight: 2.5
                        terms: [坏了, broken, "315"]
                  - id: other
                    department: customer_service
                ignored_phrases: []
                levels:
                  incident: {min_customers: 3, window_minutes: 30, max_distance: 5}
                  strong_negative_score: -6
                duplicates: {window_hours: 12, max_distance: 4}
                """, file: "t.yaml")
        #expect(file.taxonomy.categories.map(\.category) == [.product, .other])
        #expect(file.taxonomy.department(for: .product) == "engineering")
        #expect(
            file.taxonomy.categories[0].keywords == [
                WeightedKeyword("坏了", weight: 2.5), WeightedKeyword("broken", weight: 2.5), WeightedKeyword("315", weight: 2.5),
            ])
        #expect(file.taxonomy.ignoredPhrases.isEmpty)
        #expect(file.levelRules.incidentMinCustomers == 3)
        #expect(file.levelRules.incidentWindow == .seconds(1800))
        #expect(file.levelRules.incidentMaxDistance == 5)
        #expect(file.levelRules.strongNegativeScore == -6)
        #expect(file.levelRules.alwaysUrgent == LevelRules.default.alwaysUrgent)
        #expect(file.duplicateRules == DuplicateRules(window: .seconds(12 * 3600), maxDistance: 4))
    }

    /// Parses `yaml` expecting a refusal; returns its problems as "LINE: reason".
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try TaxonomyFile.parse(yaml: yaml, file: "bad.yaml")
            return []
        } catch let error as TaxonomyFileError {
            #expect(error.description.hasPrefix("bad.yaml:"))
            return error.problems.map { "\($0.line): \($0.reason)" }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    static let other = "  - id: other\n    department: customer_service\n"

    @Test func eachMistakeIsReportedWithItsLine() {
        #expect(
            self.problems("categories:\n  - id: product\n    department: rd\n    colour: red\n" + Self.other) == [
                "4: unknown key colour in a category; expected one of id, name_zh, name_en, department, keywords, subcategories"
            ])
        #expect(self.problems("categories: {}\n") == ["1: categories must be a list, got a mapping"])
        #expect(
            self.problems("categories:\n  - id: gadgets\n    department: rd\n" + Self.other) == [
                "2: unknown category gadgets; expected one of product, service, logistics, price, suggestion, other"
            ])
        #expect(
            self.problems("categories:\n  - id: product\n    department: rd\n") == [
                "2: category other is missing; feedback that matches no keyword needs somewhere to go"
            ])
        let duplicateSub = """
            categories:
              - id: product
                department: rd
                subcategories:
                  - id: product.defect
                  - id: product.defect
            """
        #expect(self.problems(duplicateSub + "\n" + Self.other) == ["6: duplicate sub-category id product.defect (first at line 5)"])
        #expect(
            self.problems("categories:\n  - id: product\n    department: rd\n    subcategories:\n      - id: defect\n" + Self.other) == [
                "5: sub-category id defect must be product.<name>"
            ])
        let keywords = """
            categories:
              - id: product
                department: rd
                keywords:
                  - weight: 0
                    terms: [a]
                  - weight: many
                    terms: [b]
                  - weight: 1
                    terms: [c, "", ~]
            """
        #expect(
            self.problems(keywords + "\n" + Self.other) == [
                "5: weight must be positive, got 0",
                "7: weight must be a number, got \"many\"",
                "10: empty entry in terms of product",
                "10: empty entry in terms of product",
            ])
        #expect(self.problems("categories:\n  - id: product\n" + Self.other) == ["2: a category is missing the key department"])
        #expect(
            self.problems("categories:\n" + Self.other + "levels:\n  incident:\n    min_customers: \"5\"\n    max_distance: 9\n") == [
                "6: min_customers must be a whole number, got \"5\"", "7: max_distance must be between 0 and 7, got 9",
            ])
        #expect(
            self.problems("categories:\n" + Self.other + "levels:\n  complaint_categories: [product, gadgets]\n") == [
                "5: unknown category gadgets; expected one of product, service, logistics, price, suggestion, other"
            ])
        #expect(self.problems("categories: [\n").first?.hasPrefix("2: invalid YAML") == true)
        #expect(self.problems("") == ["1: the file is empty; expected a mapping with categories"])
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect(throws: TaxonomyFileError.self) { try TaxonomyFile.load(path: "/nonexistent/taxonomy.yaml") }
    }
}
