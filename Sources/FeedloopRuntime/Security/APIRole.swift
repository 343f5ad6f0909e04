/// What an API key may do. Roles are coarse on purpose: a key belongs to one integration or
/// one person, and its role says which routes it reaches.
public enum APIRole: String, Codable, CaseIterable, Sendable {
    /// Channel integrations: submit feedback and survey answers, read the tickets they made.
    case intake
    /// Staff tools: read tickets (and, later, act on them).
    case agent
    /// Everything.
    case admin
}
