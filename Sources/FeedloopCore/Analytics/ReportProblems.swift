/// A ticket shown as an example: its id and its text with phone numbers, e-mail addresses
/// and long digit runs masked, cut to a short excerpt.
public struct ReportExample: Hashable, Codable, Sendable {
    public var ticketId: Int64
    public var excerpt: String

    public init(ticketId: Int64, excerpt: String) {
        self.ticketId = ticketId
        self.excerpt = excerpt
    }
}

/// A recurring problem: a sub-category of a category.
public struct ReportProblem: Hashable, Codable, Sendable {
    public var category: Category
    /// Nil for tickets classified to the category without a sub-category.
    public var subcategory: String?
    public var count: Figure
    /// Of all classified tickets in the period.
    public var share: Figure
    public var examples: [ReportExample]

    public init(category: Category, subcategory: String?, count: Figure, share: Figure, examples: [ReportExample]) {
        self.category = category
        self.subcategory = subcategory
        self.count = count
        self.share = share
        self.examples = examples
    }
}

/// An incident cluster (many customers, one problem, a short window) seen in the period.
public struct ReportIncident: Hashable, Codable, Sendable {
    public var id: Int64
    public var category: Category
    public var subcategory: String?
    public var tickets: Int64
    public var customers: Int64
    public var firstReceivedAt: String
    public var lastReceivedAt: String
    public var examples: [ReportExample]

    public init(
        id: Int64, category: Category, subcategory: String?, tickets: Int64, customers: Int64, firstReceivedAt: String, lastReceivedAt: String,
        examples: [ReportExample]
    ) {
        self.id = id
        self.category = category
        self.subcategory = subcategory
        self.tickets = tickets
        self.customers = customers
        self.firstReceivedAt = firstReceivedAt
        self.lastReceivedAt = lastReceivedAt
        self.examples = examples
    }
}

/// A keyword the classifier found, with how many classified tickets carried it.
public struct ReportKeyword: Hashable, Codable, Sendable {
    public var keyword: String
    public var count: Figure
    public var examples: [ReportExample]

    public init(keyword: String, count: Figure, examples: [ReportExample]) {
        self.keyword = keyword
        self.count = count
        self.examples = examples
    }
}
