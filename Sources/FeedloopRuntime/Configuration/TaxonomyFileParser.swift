import FeedloopCore
import Yams

/// Turns a composed YAML tree into a ``TaxonomyFile``, collecting every problem with its
/// line instead of stopping at the first, so one run shows an operator all there is to fix.
final class TaxonomyFileParser {
    private(set) var problems: [TaxonomyFileError.Problem] = []
    private var subcategoryLines: [String: Int] = [:]

    static let knownCategories = Category.allCases.map(\.rawValue).joined(separator: ", ")

    func file(_ root: Node) -> TaxonomyFile? {
        guard
            let keys = self.mapping(
                root, what: "the file", allowed: ["categories", "ignored_phrases", "levels", "duplicates"], required: ["categories"])
        else { return nil }
        var categories: [TaxonomyCategory] = []
        if let node = keys["categories"], let items = self.sequence(node, what: "categories") {
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
        let ignored = keys["ignored_phrases"].map { self.strings($0, what: "ignored_phrases") } ?? Taxonomy.default.ignoredPhrases
        let levels = keys["levels"].map(self.levelRules) ?? .default
        let duplicates = keys["duplicates"].map(self.duplicateRules) ?? .default
        return TaxonomyFile(
            taxonomy: Taxonomy(categories: categories, ignoredPhrases: ignored), levelRules: levels, duplicateRules: duplicates)
    }

    // MARK: Sections

    private func category(_ node: Node) -> TaxonomyCategory? {
        guard
            let keys = self.mapping(
                node, what: "a category", allowed: ["id", "name_zh", "name_en", "department", "keywords", "subcategories"],
                required: ["id", "department"])
        else { return nil }
        guard let idNode = keys["id"], let category = self.categoryValue(idNode) else { return nil }
        let id = category.rawValue
        let department = keys["department"].flatMap { self.nonEmptyString($0, what: "department of \(id)") } ?? ""
        let keywords = keys["keywords"].map { self.keywords($0, owner: id) } ?? []
        var subcategories: [TaxonomySubcategory] = []
        if let node = keys["subcategories"], let items = self.sequence(node, what: "subcategories of \(id)") {
            subcategories = items.compactMap { self.subcategory($0, parent: category) }
        }
        return TaxonomyCategory(
            category: category, nameZh: keys["name_zh"].flatMap { self.string($0, what: "name_zh") } ?? id,
            nameEn: keys["name_en"].flatMap { self.string($0, what: "name_en") } ?? id, department: department,
            keywords: keywords, subcategories: subcategories)
    }

    private func subcategory(_ node: Node, parent: Category) -> TaxonomySubcategory? {
        guard
            let keys = self.mapping(
                node, what: "a sub-category", allowed: ["id", "name_zh", "name_en", "keywords", "related_categories"],
                required: ["id"])
        else { return nil }
        guard let idNode = keys["id"], let id = self.nonEmptyString(idNode, what: "sub-category id") else { return nil }
        if !id.hasPrefix(parent.rawValue + ".") || id.count == parent.rawValue.count + 1 {
            self.fail(idNode, "sub-category id \(id) must be \(parent.rawValue).<name>")
        }
        if let first = self.subcategoryLines[id] {
            self.fail(idNode, "duplicate sub-category id \(id) (first at line \(first))")
        } else {
            self.subcategoryLines[id] = self.line(idNode)
        }
        var related: [Category] = []
        if let node = keys["related_categories"], let items = self.sequence(node, what: "related_categories of \(id)") {
            related = items.compactMap(self.categoryValue)
        }
        return TaxonomySubcategory(
            id: id, nameZh: keys["name_zh"].flatMap { self.string($0, what: "name_zh") } ?? id,
            nameEn: keys["name_en"].flatMap { self.string($0, what: "name_en") } ?? id,
            keywords: keys["keywords"].map { self.keywords($0, owner: id) } ?? [], relatedCategories: related)
    }

    /// A list of groups `{weight: 2, terms: [...]}`; order is kept, as it breaks ties.
    private func keywords(_ node: Node, owner: String) -> [WeightedKeyword] {
        guard let groups = self.sequence(node, what: "keywords of \(owner)") else { return [] }
        var result: [WeightedKeyword] = []
        for group in groups {
            guard let keys = self.mapping(group, what: "a keyword group", allowed: ["weight", "terms"], required: ["weight", "terms"]),
                let weightNode = keys["weight"], let termsNode = keys["terms"]
            else { continue }
            let weight = self.number(weightNode, what: "weight")
            if let weight, weight <= 0 {
                self.fail(weightNode, "weight must be positive, got \(weightNode.scalar?.string ?? "")")
            }
            let terms = self.strings(termsNode, what: "terms of \(owner)")
            if let weight, weight > 0 {
                result += terms.map { WeightedKeyword($0, weight: weight) }
            }
        }
        return result
    }

    private func levelRules(_ node: Node) -> LevelRules {
        var rules = LevelRules.default
        guard
            let keys = self.mapping(
                node, what: "levels",
                allowed: [
                    "always_urgent", "urgent_when_negative", "complaint_categories", "incident", "strong_negative_score",
                    "needs_review_below",
                ], required: [])
        else { return rules }
        if let n = keys["always_urgent"] { rules.alwaysUrgent = self.strings(n, what: "always_urgent") }
        if let n = keys["urgent_when_negative"] { rules.urgentWhenNegative = self.strings(n, what: "urgent_when_negative") }
        if let n = keys["complaint_categories"], let items = self.sequence(n, what: "complaint_categories") {
            rules.complaintCategories = Set(items.compactMap(self.categoryValue))
        }
        if let n = keys["strong_negative_score"], let v = self.number(n, what: "strong_negative_score") {
            if v >= 0 { self.fail(n, "strong_negative_score must be below 0 (negative sentiment scores are below 0), got \(v)") }
            rules.strongNegativeScore = v
        }
        if let n = keys["needs_review_below"], let v = self.number(n, what: "needs_review_below") {
            if !(0...1).contains(v) { self.fail(n, "needs_review_below must be between 0 and 1, got \(v)") }
            rules.needsReviewBelow = v
        }
        if let n = keys["incident"],
            let incident = self.mapping(n, what: "incident", allowed: ["min_customers", "window_minutes", "max_distance"], required: [])
        {
            if let m = incident["min_customers"], let v = self.integer(m, what: "min_customers") {
                if v < 2 { self.fail(m, "min_customers must be at least 2, got \(v)") }
                rules.incidentMinCustomers = v
            }
            if let m = incident["window_minutes"], let v = self.number(m, what: "window_minutes") {
                if v <= 0 { self.fail(m, "window_minutes must be positive, got \(v)") }
                rules.incidentWindow = .milliseconds(Int64((v * 60_000).rounded()))
            }
            if let m = incident["max_distance"], let v = self.integer(m, what: "max_distance") {
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
        guard let keys = self.mapping(node, what: "duplicates", allowed: ["window_hours", "max_distance"], required: []) else { return rules }
        if let n = keys["window_hours"], let v = self.number(n, what: "window_hours") {
            if v <= 0 { self.fail(n, "window_hours must be positive, got \(v)") }
            rules.window = .milliseconds(Int64((v * 3_600_000).rounded()))
        }
        if let n = keys["max_distance"], let v = self.integer(n, what: "max_distance") {
            if !(0...32).contains(v) { self.fail(n, "max_distance must be between 0 and 32, got \(v)") }
            rules.maxDistance = v
        }
        return rules
    }

    // MARK: Typed values

    private func fail(_ node: Node, _ reason: String) {
        self.problems.append(.init(line: self.line(node), reason: reason))
    }

    private func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// Whether the resolved tag of a scalar is `name` (plain `5` is an int, quoted `"5"` text).
    private static func has(_ scalar: Node.Scalar, _ name: Tag.Name) -> Bool {
        Node.scalar(scalar).tag == Tag(name)
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return Self.has(s, .null) ? "nothing" : "\"\(s.string)\""
        case .alias: return "an alias"
        }
    }

    /// The keys of a mapping; reports unknown, duplicate and missing keys.
    private func mapping(_ node: Node, what: String, allowed: [String], required: [String]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            self.fail(node, "\(what) must be a mapping, got \(Self.kind(node))")
            return nil
        }
        var keys: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                self.fail(keyNode, "keys of \(what) must be plain words")
                continue
            }
            if !allowed.contains(key) {
                self.fail(keyNode, "unknown key \(key) in \(what); expected one of \(allowed.joined(separator: ", "))")
            } else if keys[key] != nil {
                self.fail(keyNode, "key \(key) appears twice in \(what)")
            } else {
                keys[key] = value
            }
        }
        for key in required where keys[key] == nil {
            self.fail(node, "\(what) is missing the key \(key)")
        }
        return keys
    }

    private func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let items) = node else {
            self.fail(node, "\(what) must be a list, got \(Self.kind(node))")
            return nil
        }
        return Array(items)
    }

    private func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let s) = node, !Self.has(s, .null) else {
            self.fail(node, "\(what) must be text, got \(Self.kind(node))")
            return nil
        }
        return s.string
    }

    private func nonEmptyString(_ node: Node, what: String) -> String? {
        guard let s = self.string(node, what: what) else { return nil }
        if s.trimmingCharacters(in: .whitespaces).isEmpty {
            self.fail(node, "\(what) is empty")
            return nil
        }
        return s
    }

    /// A list of non-empty texts (keywords, phrases).
    private func strings(_ node: Node, what: String) -> [String] {
        guard let items = self.sequence(node, what: what) else { return [] }
        return items.compactMap { item in
            guard case .scalar(let s) = item, !Self.has(s, .null), !s.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                if case .scalar = item {
                    self.fail(item, "empty keyword in \(what)")
                } else {
                    self.fail(item, "\(what) must hold texts, got \(Self.kind(item))")
                }
                return nil
            }
            return s.string
        }
    }

    private func number(_ node: Node, what: String) -> Double? {
        guard case .scalar(let s) = node, Self.has(s, .int) || Self.has(s, .float), let v = Double(s.string) else {
            self.fail(node, "\(what) must be a number, got \(Self.kind(node))")
            return nil
        }
        return v
    }

    private func integer(_ node: Node, what: String) -> Int? {
        guard case .scalar(let s) = node, Self.has(s, .int), let v = Int(s.string) else {
            self.fail(node, "\(what) must be a whole number, got \(Self.kind(node))")
            return nil
        }
        return v
    }

    private func categoryValue(_ node: Node) -> Category? {
        guard let raw = self.string(node, what: "a category") else { return nil }
        guard let category = Category(rawValue: raw) else {
            self.fail(node, "unknown category \(raw); expected one of \(Self.knownCategories)")
            return nil
        }
        return category
    }
}
