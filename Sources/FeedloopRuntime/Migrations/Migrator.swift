import Logging
import Postgres

/// Applies ``Migration/all`` in order, each in its own transaction, under an advisory lock so
/// that several processes started at once migrate exactly once.
public struct Migrator {
    /// Arbitrary constant: the advisory lock key of Feedloop's migrations.
    static let lockKey: Int64 = 0x4645_4544_4C4F_4F50

    public var migrations: [Migration]
    public var logger: Logger

    public init(migrations: [Migration] = Migration.all, logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// The highest applied version (0 for an empty database).
    public static func currentVersion(_ db: PostgresConnection) throws -> Int {
        let exists = try db.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL")
        guard try exists[0].decode(Bool.self, at: 0) else { return 0 }
        return try db.query("SELECT coalesce(max(version), 0)::int8 FROM schema_migrations")[0].decode(Int.self, at: 0)
    }

    /// Applies what is pending; returns the versions applied now.
    @discardableResult
    public func migrate(_ db: PostgresConnection) throws -> [Int] {
        try db.query("SELECT pg_advisory_lock($1)", [.int(Self.lockKey)])
        defer { _ = try? db.query("SELECT pg_advisory_unlock($1)", [.int(Self.lockKey)]) }
        try db.execute(
            script: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
        let current = try Self.currentVersion(db)
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            try db.transaction { tx in
                try tx.execute(script: migration.sql)
                try tx.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [.int(Int64(migration.version)), .text(migration.name)]
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }

    /// Throws unless the database is at exactly the version this build needs.
    public static func requireCurrent(_ db: PostgresConnection) throws {
        let current = try currentVersion(db)
        let needed = Migration.latestVersion
        if current < needed {
            throw SchemaVersionError(current: current, needed: needed)
        }
    }
}

/// The database schema is older than this build.
public struct SchemaVersionError: Error, CustomStringConvertible {
    public var current: Int
    public var needed: Int
    public var description: String {
        "database schema is at version \(current), this build needs \(needed): run `feedloopctl migrate` (or set FEEDLOOP_MIGRATE=true)"
    }
}
