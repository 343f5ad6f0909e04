import FeedloopCore
import Foundation
import Postgres

/// One file's import as recorded in `import_runs`: where the next batch starts and what the
/// committed batches counted.
struct ImportRun {
    var id: Int64
    var options: String
    var byteOffset: Int64
    var line: Int
    var imported: Int
    var duplicates: Int
    var rejected: Int
    var rejectsBytes: Int64
    var finishedAt: Date?
}

/// The SQL of `import_runs`.
enum ImportRunStore {
    /// Holds a session-level advisory lock on the fingerprint, so two imports of the same file
    /// cannot interleave their batches; false when another session holds it.
    static func lock(fingerprint: String, in db: PostgresConnection) throws -> Bool {
        try db.query("SELECT pg_try_advisory_lock(hashtextextended('feedloop-import:' || $1, 0))", [.text(fingerprint)])[0]
            .decode(Bool.self, at: 0)
    }

    static func find(fingerprint: String, in db: PostgresConnection) throws -> ImportRun? {
        let rows = try db.query(
            """
            SELECT id, options, byte_offset, line, imported, duplicates, rejected, rejects_bytes, finished_at
            FROM import_runs WHERE fingerprint = $1
            """,
            [.text(fingerprint)]
        )
        guard let row = rows.first else { return nil }
        return ImportRun(
            id: try row.decode(Int64.self, at: 0), options: try row.decode(String.self, at: 1),
            byteOffset: try row.decode(Int64.self, at: 2), line: try row.decode(Int.self, at: 3),
            imported: try row.decode(Int.self, at: 4), duplicates: try row.decode(Int.self, at: 5),
            rejected: try row.decode(Int.self, at: 6), rejectsBytes: try row.decode(Int64.self, at: 7),
            finishedAt: try row.decode(Date?.self, at: 8)
        )
    }

    /// Creates the run, or resets an existing one to the start (`--restart`, or a first run).
    static func begin(
        fingerprint: String, path: String, size: Int64, format: ImportFormat, options: String, rejectsPath: String,
        in db: PostgresConnection
    ) throws -> ImportRun {
        let row = try db.query(
            """
            INSERT INTO import_runs (fingerprint, path, size_bytes, format, options, rejects_path)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (fingerprint) DO UPDATE SET path = EXCLUDED.path, format = EXCLUDED.format, options = EXCLUDED.options,
                rejects_path = EXCLUDED.rejects_path, byte_offset = 0, line = 0, imported = 0, duplicates = 0, rejected = 0,
                rejects_bytes = 0, started_at = now(), updated_at = now(), finished_at = NULL
            RETURNING id
            """,
            [.text(fingerprint), .text(path), .int(size), .text(format.rawValue), .text(options), .text(rejectsPath)]
        )[0]
        return ImportRun(
            id: try row.decode(Int64.self, at: 0), options: options, byteOffset: 0, line: 0, imported: 0, duplicates: 0, rejected: 0,
            rejectsBytes: 0, finishedAt: nil
        )
    }

    /// Records a committed batch's progress, inside the batch's transaction.
    static func advance(_ run: ImportRun, finished: Bool, in tx: PostgresConnection) throws {
        try tx.query(
            """
            UPDATE import_runs SET byte_offset = $2, line = $3, imported = $4, duplicates = $5, rejected = $6, rejects_bytes = $7,
                updated_at = now(), finished_at = CASE WHEN $8 THEN now() END
            WHERE id = $1
            """,
            [
                .int(run.id), .int(run.byteOffset), .int(Int64(run.line)), .int(Int64(run.imported)), .int(Int64(run.duplicates)),
                .int(Int64(run.rejected)), .int(run.rejectsBytes), .bool(finished),
            ]
        )
    }
}
