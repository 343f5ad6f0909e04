import FeedloopCore
import Foundation
import Postgres

/// Versioned classifier models in PostgreSQL (`classifier_models`, migration 4).
///
/// Workers call ``activeVersion(in:)`` every few seconds (one index lookup returning one
/// integer) and ``load(version:in:)`` only when it changed, so activating a model reaches every
/// running replica within a poll interval.
public enum ClassifierModelStore {
    /// One stored version, without its body.
    public struct Entry: Codable, Equatable, Sendable {
        public var version: Int
        public var name: String
        public var createdAt: Date
        public var trainedAt: Date
        public var trainingFile: String
        public var trainingRows: Int
        public var categoryRows: Int
        public var sentimentRows: Int
        public var active: Bool
        /// Held-out metrics recorded at training.
        public var metrics: ClassifierModelSet.Evaluation
    }

    /// Why a model could not be loaded or activated.
    public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Stores `models` as a new version and returns it; with `activate`, it becomes the active
    /// version in the same transaction.
    @discardableResult
    public static func save(_ models: ClassifierModelSet, activate: Bool, in db: PostgresConnection) throws -> Int {
        let body = try models.serialized().base64EncodedString()
        let metrics = String(decoding: try FeedloopJSON.encoder().encode(models.evaluation), as: UTF8.self)
        return try db.transaction { db in
            let rows = try db.query(
                """
                INSERT INTO classifier_models
                    (name, trained_at, training_file, training_rows, category_rows, sentiment_rows, metrics, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7, decode($8, 'base64'))
                RETURNING version
                """,
                [
                    .text(models.name), .timestamp(models.trainedAt), .text(models.training.fileName),
                    .int(Int64(models.training.rows)), .int(Int64(models.training.categoryRows)),
                    .int(Int64(models.training.sentimentRows)), .jsonb(metrics), .text(body),
                ]
            )
            let version = try rows[0].decode(Int.self, at: 0)
            if activate {
                try self.setActive(version, in: db)
            }
            return version
        }
    }

    /// Makes `version` the active one (and no other).
    public static func activate(version: Int, in db: PostgresConnection) throws {
        try db.transaction { db in try self.setActive(version, in: db) }
    }

    private static func setActive(_ version: Int, in db: PostgresConnection) throws {
        // Row lock first, so two concurrent activations queue instead of racing on the index.
        let exists = try db.query("SELECT 1 FROM classifier_models WHERE version = $1 FOR UPDATE", [.int(Int64(version))])
        guard !exists.isEmpty else { throw StoreError(description: "no classifier model version \(version)") }
        try db.query("UPDATE classifier_models SET active = false, activated_at = NULL WHERE active AND version <> $1", [.int(Int64(version))])
        try db.query(
            "UPDATE classifier_models SET active = true, activated_at = now() WHERE version = $1 AND NOT active", [.int(Int64(version))]
        )
    }

    /// The active version, nil when none is; cheap enough to poll.
    public static func activeVersion(in db: PostgresConnection) throws -> Int? {
        let rows = try db.query("SELECT version FROM classifier_models WHERE active")
        return try rows.first?.decode(Int.self, at: 0)
    }

    /// The models of `version`.
    public static func load(version: Int, in db: PostgresConnection) throws -> ClassifierModelSet {
        let rows = try db.query("SELECT encode(body, 'base64') FROM classifier_models WHERE version = $1", [.int(Int64(version))])
        guard let row = rows.first else { throw StoreError(description: "no classifier model version \(version)") }
        let text = try row.decode(String.self, at: 0)
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw StoreError(description: "classifier model version \(version) has an unreadable body")
        }
        do {
            return try ClassifierModelSet.deserialize(data, version: version)
        } catch {
            throw StoreError(description: "classifier model version \(version) cannot be decoded: \(error)")
        }
    }

    /// Every version, newest first, without bodies.
    public static func list(in db: PostgresConnection) throws -> [Entry] {
        let rows = try db.query(
            """
            SELECT version, name, created_at, trained_at, training_file, training_rows, category_rows, sentiment_rows,
                   active, metrics::text
            FROM classifier_models ORDER BY version DESC
            """
        )
        let decoder = FeedloopJSON.decoder()
        return try rows.map { row in
            Entry(
                version: try row.decode(Int.self, "version"), name: try row.decode(String.self, "name"),
                createdAt: try row.decode(Date.self, "created_at"), trainedAt: try row.decode(Date.self, "trained_at"),
                trainingFile: try row.decode(String.self, "training_file"), trainingRows: try row.decode(Int.self, "training_rows"),
                categoryRows: try row.decode(Int.self, "category_rows"), sentimentRows: try row.decode(Int.self, "sentiment_rows"),
                active: try row.decode(Bool.self, "active"),
                metrics: try decoder.decode(ClassifierModelSet.Evaluation.self, from: Data(try row.decode(String.self, "metrics").utf8))
            )
        }
    }
}
