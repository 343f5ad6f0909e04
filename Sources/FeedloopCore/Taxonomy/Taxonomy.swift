/// A company's classification scheme: categories, sub-categories, keywords and departments.
public struct Taxonomy: Hashable, Sendable {
    /// The categories, in display order; each ``Category`` appears at most once.
    public var categories: [TaxonomyCategory]
    /// Phrases that contain keywords but point nowhere ("希望尽快" is a complaint's closing line,
    /// not a suggestion); a match swallows the keywords inside it.
    public var ignoredPhrases: [String]

    /// Creates a taxonomy; call ``validate()`` on one built from configuration.
    public init(categories: [TaxonomyCategory], ignoredPhrases: [String] = []) {
        self.categories = categories
        self.ignoredPhrases = ignoredPhrases
    }

    /// The entry for `category`, if the taxonomy has one.
    public func entry(for category: Category) -> TaxonomyCategory? {
        self.categories.first { $0.category == category }
    }

    /// The sub-category with this id, if any.
    public func subcategory(id: String) -> TaxonomySubcategory? {
        for entry in self.categories {
            if let sub = entry.subcategories.first(where: { $0.id == id }) {
                return sub
            }
        }
        return nil
    }

    /// The department that owns `category`; unknown categories go to customer service.
    public func department(for category: Category) -> String {
        self.entry(for: category)?.department ?? "customer_service"
    }

    /// Problems that would make classification ambiguous, one readable line each.
    public func validate() -> [String] {
        var problems: [String] = []
        var seenCategories = Set<Category>()
        var seenIDs = Set<String>()
        for entry in self.categories {
            if !seenCategories.insert(entry.category).inserted {
                problems.append("category \(entry.category.rawValue) appears more than once")
            }
            if entry.department.isEmpty {
                problems.append("category \(entry.category.rawValue) has no department")
            }
            for sub in entry.subcategories {
                if !seenIDs.insert(sub.id).inserted {
                    problems.append("sub-category \(sub.id) appears more than once")
                }
                if !sub.id.hasPrefix(entry.category.rawValue + ".") {
                    problems.append("sub-category \(sub.id) must start with \(entry.category.rawValue).")
                }
                for keyword in sub.keywords where keyword.term.isEmpty || keyword.weight <= 0 {
                    problems.append("sub-category \(sub.id) has an empty keyword or a weight that is not positive")
                }
            }
            for keyword in entry.keywords where keyword.term.isEmpty || keyword.weight <= 0 {
                problems.append("category \(entry.category.rawValue) has an empty keyword or a weight that is not positive")
            }
        }
        if !seenCategories.contains(.other) {
            problems.append("category other is missing; unmatched feedback needs somewhere to go")
        }
        return problems
    }
}
