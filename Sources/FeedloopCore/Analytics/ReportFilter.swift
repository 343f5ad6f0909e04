/// Which tickets a report counts: every field set narrows it, nil means all.
public struct ReportFilter: Hashable, Codable, Sendable {
    public var department: String?
    public var channel: Channel?
    public var category: Category?
    public var level: Level?
    public var tier: CustomerTier?

    public init(department: String? = nil, channel: Channel? = nil, category: Category? = nil, level: Level? = nil, tier: CustomerTier? = nil) {
        self.department = department
        self.channel = channel
        self.category = category
        self.level = level
        self.tier = tier
    }

    /// Reads the filter from query parameters or options given as text (empty means unset);
    /// the error names the field and lists what it accepts.
    public static func parse(department: String?, channel: String?, category: String?, level: String?, tier: String?) throws -> ReportFilter {
        func given(_ s: String?) -> String? {
            guard let s = s?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
            return s
        }
        var filter = ReportFilter(department: given(department))
        if let c = given(channel) {
            guard let v = Channel(rawValue: c) else {
                throw ReportFilterError(field: "channel", reason: "must be one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.channel = v
        }
        if let c = given(category) {
            guard let v = Category(rawValue: c) else {
                throw ReportFilterError(field: "category", reason: "must be one of \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.category = v
        }
        if let c = given(level) {
            guard let n = Int(c), let v = Level(rawValue: n) else {
                throw ReportFilterError(field: "level", reason: "must be 1, 2 or 3")
            }
            filter.level = v
        }
        if let c = given(tier) {
            guard let v = CustomerTier(rawValue: c) else {
                throw ReportFilterError(field: "tier", reason: "must be one of \(CustomerTier.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.tier = v
        }
        return filter
    }

    /// True when nothing is filtered.
    public var isEmpty: Bool { self == ReportFilter() }
}

/// A filter value that was refused, naming the field.
public struct ReportFilterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field) \(reason)" }
}
