import Foundation
import Postgres

/// The SQL of `api_keys`: create, list, revoke and verify keys.
public enum APIKeyStore {
    /// Longest accepted key name.
    public static let maxNameLength = 100
    /// A key's `last_used_at` is written at most this often, so that verifying a key is
    /// usually a read.
    public static let lastUsedResolution: Duration = .seconds(60)

    /// What a presented key turned out to be.
    public enum Verification: Hashable, Sendable {
        case valid(APIKeyRecord)
        case revoked(APIKeyRecord)
        case unknown
    }

    /// Why a key could not be created or revoked.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Creates a key; the returned ``APIKey`` is the only time its secret exists in clear.
    public static func create(name: String, role: APIRole, in db: PostgresConnection) throws -> (key: APIKey, record: APIKeyRecord) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Self.maxNameLength,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw Failure("the name must be 1 to \(Self.maxNameLength) printable characters")
        }
        // A prefix collision (1 in 36^8 per pair) only costs another draw.
        for _ in 0..<3 {
            let key = APIKey.generate()
            do {
                let rows = try db.query(
                    """
                    INSERT INTO api_keys (name, role, prefix, key_hash) VALUES ($1, $2, $3, decode($4, 'hex'))
                    RETURNING id, name, role, prefix, created_at, last_used_at, revoked_at
                    """,
                    [.text(name), .text(role.rawValue), .text(key.prefix), .text(key.digestHex)]
                )
                return (key, try Self.record(rows[0]))
            } catch let error as PostgresError where error.isUniqueViolation {
                continue
            }
        }
        throw Failure("could not draw an unused key prefix")
    }

    /// Every key, newest first.
    public static func list(in db: PostgresConnection) throws -> [APIKeyRecord] {
        try db.query("SELECT id, name, role, prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id DESC").map(Self.record)
    }

    /// Revokes the key with this prefix (`fl_<prefix>` or the bare prefix) or numeric id;
    /// nil when there is none. Revoking a revoked key keeps its first revocation time.
    public static func revoke(_ prefixOrID: String, in db: PostgresConnection) throws -> APIKeyRecord? {
        var prefix = prefixOrID.trimmingCharacters(in: .whitespaces)
        if prefix.hasPrefix("fl_") { prefix.removeFirst(3) }
        if let end = prefix.firstIndex(of: "_") { prefix = String(prefix[..<end]) }
        let id = Int64(prefix) ?? -1
        let rows = try db.query(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE prefix = $1 OR id = $2
            RETURNING id, name, role, prefix, created_at, last_used_at, revoked_at
            """,
            [.text(prefix), .int(id)]
        )
        return try rows.first.map(Self.record)
    }

    /// Looks a presented key up by its digest in one round trip, and records its use when the
    /// last record is older than ``lastUsedResolution``.
    public static func verify(_ key: APIKey, in db: PostgresConnection) throws -> Verification {
        let rows = try db.query(
            """
            WITH k AS (
                SELECT id, name, role, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE key_hash = decode($1, 'hex')
            ), used AS (
                UPDATE api_keys a SET last_used_at = now() FROM k
                WHERE a.id = k.id AND k.revoked_at IS NULL
                    AND (k.last_used_at IS NULL OR k.last_used_at < now() - make_interval(secs => $2))
                RETURNING a.id
            )
            SELECT id, name, role, prefix, created_at, last_used_at, revoked_at, (SELECT count(*) FROM used) FROM k
            """,
            [.text(key.digestHex), .double(Self.lastUsedResolution.seconds)]
        )
        guard let row = rows.first else { return .unknown }
        let record = try Self.record(row)
        return record.isActive ? .valid(record) : .revoked(record)
    }

    static func record(_ row: PostgresRow) throws -> APIKeyRecord {
        let roleText = try row.decode(String.self, at: 2)
        guard let role = APIRole(rawValue: roleText) else {
            throw PostgresError(.serverError, message: "api_keys holds an unknown role \(roleText)")
        }
        return APIKeyRecord(
            id: try row.decode(Int64.self, at: 0), name: try row.decode(String.self, at: 1), role: role,
            prefix: try row.decode(String.self, at: 3), createdAt: try row.decode(Date.self, at: 4),
            lastUsedAt: try row.decode(Date?.self, at: 5), revokedAt: try row.decode(Date?.self, at: 6)
        )
    }
}
