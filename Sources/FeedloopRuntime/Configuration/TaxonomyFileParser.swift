import FeedloopCore
import Yams

/// Turns a composed YAML tree into a ``TaxonomyFile``, collecting every problem with its
/// line instead of stopping at the first, so one run shows an operator all there is to fix.
final class TaxonomyFileParser {
    let reader = ConfigFileReader()
    var problems: [ConfigFileError.Problem] { reader.problems }
    private var subcategoryLines: [String: Int] = [:]

    static let knownCategories = Category.allCases.map(\.rawValue).joined(separator: ", ")

    func file(_ root: Node) -> TaxonomyFile? {
        guard
            let keys = self.reader.mapping(
                root, what: "the file", allowed: ["categories", "ignored_phrases", "levels", "duplicates"], required: ["categories"])
        else { return nil }
        var categories: [TaxonomyCategory] = []
        if let node = keys["categories"], let items = self.reader.sequence(node, what: "categories") {
            var seen: [Category: Int] = [:]
            for item in items {
                guard let entry = self.category(item) else { continue }
                if let first = seen[entry.category] {
                    self.fail(item, "category \(entry.category.rawValue) appears more than once (first at line \(first))")
                }
                seen[entry.category] = seen[entry.category] ?? self.line(item)
                categories.append(entry)
            }
            if seen[.other] == nil {
                self.fail(node, "category other is missing; feedback that matches no keyword needs somewhere to go")
            }
        }
        let ignored = keys["ignored_phrases"].map { self.reader.strings($0, what: "ignored_phrases") } ?? Taxonomy.default.ignoredPhrases
        let levels = keys["levels"].map(self.levelRules) ?? .default
        let duplicates = keys["duplicates"].map(self.duplicateRules) ?? .default
        return TaxonomyFile(
            taxonomy: Taxonomy(categories: categories, ignoredPhrases: ignored), levelRules: levels, duplicateRules: duplicates)
    }

    // MARK: Sections

    private func category(_ node: Node) -> TaxonomyCategory? {
        guard
            let keys = self.reader.mapping(
                node, what: "a category", allowed: ["id", "name_zh", "name_en", "department", "keywords", "subcategories"],
                required: ["id", "department"])
        else { return nil }
        guard let idNode = keys["id"], let category = self.categoryValue(idNode) else { return nil }
        let id = category.rawValue
        let department = keys["department"].flatMap { self.reader.nonEmptyString($0, what: "department of \(id)") } ?? ""
        let keywords = keys["keywords"].map { self.keywords($0, owner: id) } ?? []
        var subcategories: [TaxonomySubcategory] = []
        if let node = keys["subcategories"], let items = self.reader.sequence(node, what: "subcategories of \(id)") {
            subcategories = items.compactMap { self.subcategory($0, parent: category) }
        }
        return TaxonomyCategory(
            category: category, nameZh: keys["name_zh"].flatMap { self.reader.string($0, what: "name_zh") } ?? id,
            nameEn: keys["name_en"].flatMap { self.reader.string($0, what: "name_en") } ?? id, department: department,
            keywords: keywords, subcategories: subcategories)
    }

    private func subcategory(_ node: Node, parent: Category) -> TaxonomySubcategory? {
        guard
            let keys = self.reader.mapping(
                node, what: "a sub-category", allowed: ["id", "name_zh", "name_en", "keywords", "related_categories"],
                required: ["id"])
        else { return nil }
        guard let idNode = keys["id"], let id = self.reader.nonEmptyString(idNode, what: "sub-category id") else { return nil }
        if !id.hasPrefix(parent.rawValue + ".") || id.count == parent.rawValue.count + 1 {
            self.fail(idNode, "sub-category id \(id) must be \(parent.rawValue).<name>")
        }
        if let first = self.subcategoryLines[id] {
            self.fail(idNode, "duplicate sub-category id \(id) (first at line \(first))")
        } else {
            self.subcategoryLines[id] = self.line(idNode)
        }
        var related: [Category] = []
        if let node = keys["related_categories"], let items = self.reader.sequence(node, what: "related_categories of \(id)") {
            related = items.compactMap(self.categoryValue)
        }
        return TaxonomySubcategory(
            id: id, nameZh: keys["name_zh"].flatMap { self.reader.string($0, what: "name_zh") } ?? id,
            nameEn: keys["name_en"].flatMap { self.reader.string($0, what: "name_en") } ?? id,
            keywords: keys["keywords"].map { self.keywords($0, owner: id) } ?? [], relatedCategories: related)
    }

    /// A list of groups `{weight: 2, terms: [...]}`; order is kept, as it breaks ties.
    private func keywords(_ node: Node, owner: String) -> [WeightedKeyword] {
        guard let groups = self.reader.sequence(node, what: "keywords of \(owner)") else { return [] }
        var result: [WeightedKeyword] = []
        for group in groups {
            guard let keys = self.reader.mapping(group, what: "a keyword group", allowed: ["weight", "terms"], required: ["weight", "terms"]),
                let weightNode = keys["weight"], let termsNode = keys["terms"]
            else { continue }
            let weight = self.reader.number(weightNode, what: "weight")
            if let weight, weight <= 0 {
                self.fail(weightNode, "weight must be positive, got \(weightNode.scalar?.string ?? "")")
            }
            let terms = self.reader.strings(termsNode, what: "terms of \(owner)")
            if let weight, weight > 0 {
                result += terms.map { WeightedKeyword($0, weight: weight) }
            }
        }
        return result
    }

    private func levelRules(_ node: Node) -> LevelRules {
        var rules = LevelRules.default
        guard
            let keys = self.reader.mapping(
                node, what: "levels",
                allowed: [
                    "always_urgent", "urgent_when_negative", "complaint_categories", "incident", "strong_negative_score",
                    "needs_review_below",
                ], required: [])
        else { return rules }
        if let n = keys["always_urgent"] { rules.alwaysUrgent = self.reader.strings(n, what: "always_urgent") }
        if let n = keys["urgent_when_negative"] { rules.urgentWhenNegative = self.reader.strings(n, what: "urgent_when_negative") }
        if let n = keys["complaint_categories"], let items = self.reader.sequence(n, what: "complaint_categories") {
            rules.complaintCategories = Set(items.compactMap(self.categoryValue))
        }
        if let n = keys["strong_negative_score"], let v = self.reader.number(n, what: "strong_negative_score") {
            if v >= 0 { self.fail(n, "strong_negative_score must be below 0 (negative sentiment scores are below 0), got \(v)") }
            rules.strongNegativeScore = v
        }
        if let n = keys["needs_review_below"], let v = self.reader.number(n, what: "needs_review_below") {
            if !(0...1).contains(v) { self.fail(n, "needs_review_below must be between 0 and 1, got \(v)") }
            rules.needsReviewBelow = v
        }
        if let n = keys["incident"],
            let incident = self.reader.mapping(n, what: "incident", allowed: ["min_customers", "window_minutes", "max_distance"], required: [])
        {
            if let m = incident["min_customers"], let v = self.reader.integer(m, what: "min_customers") {
                if v < 2 { self.fail(m, "min_customers must be at least 2, got \(v)") }
                rules.incidentMinCustomers = v
            }
            if let m = incident["window_minutes"], let v = self.reader.number(m, what: "window_minutes") {
                if v <= 0 { self.fail(m, "window_minutes must be positive, got \(v)") }
                rules.incidentWindow = .milliseconds(Int64((v * 60_000).rounded()))
            }
            if let m = incident["max_distance"], let v = self.reader.integer(m, what: "max_distance") {
                if !(0...LevelRules.maxIncidentDistance).contains(v) {
                    self.fail(m, "max_distance must be between 0 and \(LevelRules.maxIncidentDistance), got \(v)")
                }
                rules.incidentMaxDistance = v
            }
        }
        return rules
    }

    private func duplicateRules(_ node: Node) -> DuplicateRules {
        var rules = DuplicateRules.default
        guard let keys = self.reader.mapping(node, what: "duplicates", allowed: ["window_hours", "max_distance"], required: []) else { return rules }
        if let n = keys["window_hours"], let v = self.reader.number(n, what: "window_hours") {
            if v <= 0 { self.fail(n, "window_hours must be positive, got \(v)") }
            rules.window = .milliseconds(Int64((v * 3_600_000).rounded()))
        }
        if let n = keys["max_distance"], let v = self.reader.integer(n, what: "max_distance") {
            if !(0...32).contains(v) { self.fail(n, "max_distance must be between 0 and 32, got \(v)") }
            rules.maxDistance = v
        }
        return rules
    }

    // MARK: Values

    private func fail(_ node: Node, _ reason: String) { self.reader.fail(node, reason) }
    private func line(_ node: Node) -> Int { self.reader.line(node) }

    private func categoryValue(_ node: Node) -> Category? {
        guard let raw = self.reader.string(node, what: "a category") else { return nil }
        guard let category = Category(rawValue: raw) else {
            self.fail(node, "unknown category \(raw); expected one of \(Self.knownCategories)")
            return nil
        }
        return category
    }
}
