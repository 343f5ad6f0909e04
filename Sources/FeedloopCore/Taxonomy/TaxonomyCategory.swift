/// One top-level category of a taxonomy: names, owning department and sub-categories.
public struct TaxonomyCategory: Hashable, Sendable {
    /// Which category this is.
    public var category: Category
    /// Chinese display name.
    public var nameZh: String
    /// English display name.
    public var nameEn: String
    /// The department tickets of this category are routed to, e.g. `rd`.
    public var department: String
    /// Keywords that name the category without saying which sub-category ("客服", "delivery").
    public var keywords: [WeightedKeyword]
    /// The sub-categories, in display order.
    public var subcategories: [TaxonomySubcategory]

    /// Creates a category entry.
    public init(
        category: Category, nameZh: String, nameEn: String, department: String,
        keywords: [WeightedKeyword] = [], subcategories: [TaxonomySubcategory] = []
    ) {
        self.category = category
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.department = department
        self.keywords = keywords
        self.subcategories = subcategories
    }
}
