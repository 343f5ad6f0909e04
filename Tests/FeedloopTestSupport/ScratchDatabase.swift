import FeedloopRuntime
import Foundation
import Postgres

/// A freshly created and migrated database, dropped by ``drop()``: tests never share tables.
public struct ScratchDatabase: Sendable {
    public let name: String
    public let url: String
    let serverURL: String

    /// A new database migrated to the current schema, or only `through` a version (to test a
    /// later migration against data the earlier schema held).
    public static func create(through version: Int? = nil) throws -> ScratchDatabase {
        let server = try TestServers.requireDatabase()
        let name = TestServers.uniqueName("feedloop_test")
        let admin = try PostgresConnection(url: server, logger: TestServers.logger)
        defer { admin.close() }
        // Identifiers cannot be parameters; the name is generated above, never input.
        try admin.execute(script: "CREATE DATABASE \(name)")
        let database = ScratchDatabase(name: name, url: Self.url(server, database: name), serverURL: server)
        let db = try database.connect()
        defer { db.close() }
        try Migrator(migrations: Migration.all.filter { $0.version <= version ?? .max }, logger: TestServers.logger).migrate(db)
        return database
    }

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url, logger: TestServers.logger)
    }

    public func drop() {
        guard let admin = try? PostgresConnection(url: serverURL, logger: TestServers.logger) else { return }
        defer { admin.close() }
        _ = try? admin.execute(script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// One value of a single-row, single-column query.
    public func scalar<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ parameters: [PostgresBind] = []) throws -> T {
        let db = try connect()
        defer { db.close() }
        return try db.query(sql, parameters)[0].decode(T.self, at: 0)
    }

    static func url(_ url: String, database name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }
}
