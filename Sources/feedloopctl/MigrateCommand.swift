import ArgumentParser
import FeedloopRuntime
import Postgres

/// `feedloopctl migrate`: brings the database schema to this build's version.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations.",
        discussion: """
            Applies every numbered migration newer than the database's schema version, each in its \
            own transaction, under an advisory lock (several processes may run it at once). Safe to \
            run again: an up-to-date schema is left alone.

            Exit codes: 0 up to date, 1 failure (the migration that failed is rolled back), 64 wrong usage.

            Examples:
              feedloopctl migrate
              feedloopctl migrate --json
              FEEDLOOP_DATABASE_URL=postgres://feedloop:secret@db:5432/feedloop feedloopctl migrate
            """
    )

    @Flag(help: "Print the applied versions and the schema version as JSON.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase(requireSchema: false)
        defer { db.close() }
        let applied: [Int]
        do {
            applied = try Migrator(logger: session.logger).migrate(db)
        } catch let error as PostgresError {
            throw CtlError("migration failed on \(session.maskedDatabaseURL): \(error)")
        }
        if json {
            struct Output: Encodable {
                var applied: [Int]
                var schemaVersion: Int
            }
            try JSONOutput.print(Output(applied: applied, schemaVersion: try Migrator.currentVersion(db)))
        } else if applied.isEmpty {
            print("schema is up to date at version \(try Migrator.currentVersion(db))")
        } else {
            for version in applied {
                let name = Migration.all.first { $0.version == version }?.name ?? ""
                print("applied migration \(version) \(name)")
            }
            print("schema is now at version \(applied.last!)")
        }
    }
}
