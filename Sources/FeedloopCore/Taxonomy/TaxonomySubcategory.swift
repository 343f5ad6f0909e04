/// A sub-category such as `product.defect`, with the keywords that point to it.
public struct TaxonomySubcategory: Hashable, Sendable, Identifiable {
    /// Stable id, `<category>.<name>`, stored on tickets.
    public var id: String
    /// Chinese display name.
    public var nameZh: String
    /// English display name.
    public var nameEn: String
    /// Keywords; each match also counts for the parent category.
    public var keywords: [WeightedKeyword]
    /// When the parent wins without any keyword of its own sub-categories (a bare "建议"), the
    /// sub-category whose related category scored best is chosen.
    public var relatedCategories: [Category]

    /// Creates a sub-category.
    public init(id: String, nameZh: String, nameEn: String, keywords: [WeightedKeyword], relatedCategories: [Category] = []) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.keywords = keywords
        self.relatedCategories = relatedCategories
    }
}
