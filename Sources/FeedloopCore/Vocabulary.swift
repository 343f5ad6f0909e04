/// Where a feedback item came from. Each item keeps its channel and the channel's own id.
public enum Channel: String, Codable, CaseIterable, Sendable {
    case hotline
    case chat
    case store
    case email
    case social
    case survey
    case returnVisit = "return_visit"
    case research
}

/// Top-level classification (ARCHITECTURE §1); sub-categories live in the ``Taxonomy``.
public enum Category: String, Codable, CaseIterable, Sendable {
    case product, service, logistics, price, suggestion, other
}

public enum Sentiment: String, Codable, CaseIterable, Sendable {
    case negative, neutral, positive
}

/// Grading: 1 urgent, 2 important, 3 general.
public enum Level: Int, Codable, CaseIterable, Sendable, Comparable {
    case urgent = 1
    case important = 2
    case general = 3

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Customer tier, used by level rules and SLA lanes.
public enum CustomerTier: String, Codable, CaseIterable, Sendable {
    case vip, regular, new
}

/// The deadlines a ticket is held to.
public enum SLAMetric: String, Codable, CaseIterable, Sendable {
    case firstResponse = "first_response"
    case plan
    case resolution
}
