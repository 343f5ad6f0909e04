import Foundation

/// A stored API key as listings show it: never the secret, nor its digest.
public struct APIKeyRecord: Codable, Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var role: APIRole
    /// The key's public prefix (`fl_<prefix>_…`).
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: Int64, name: String, role: APIRole, prefix: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key still opens the API.
    public var isActive: Bool { self.revokedAt == nil }
}
