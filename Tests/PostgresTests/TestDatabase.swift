import Foundation
import Logging
import Postgres
import Testing

/// Where the integration tests find PostgreSQL, and the per-suite scratch database.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    /// A superuser URL to database `postgres`.
    static let serverURL = environment["FEEDLOOP_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = environment["CI"] == "true"

    /// Integration suites run when a server is configured, and in CI always, where a missing
    /// server must fail loudly instead of passing by skipping.
    static let shouldRun = serverURL != nil || isCI

    static let missingServerMessage = """
        FEEDLOOP_TEST_DATABASE_URL is not set: the PostgreSQL integration tests need a server \
        (run: eval "$(./ops/servers start)")
        """

    /// The URL of the current suite's scratch database, set by the `.temporaryDatabase` trait.
    @TaskLocal static var current: String?

    static let logger = Logger(label: "feedloop.postgres.tests")

    static func requireServerURL() throws -> String {
        // Thrown, not skipped: reaching here means CI=true, where a missing server is a failure.
        guard let serverURL else { throw MissingServer() }
        return serverURL
    }

    /// A new connection to the current suite's scratch database.
    static func connect() throws -> PostgresConnection {
        _ = try requireServerURL()
        let url = try #require(current, "no scratch database: the suite needs the .temporaryDatabase trait")
        return try PostgresConnection(url: url, logger: logger)
    }

    /// `url` pointed at database `name`.
    static func url(_ url: String, database name: String) -> String {
        if var components = URLComponents(string: url), let scheme = components.scheme, scheme.hasPrefix("postgres") {
            components.path = "/" + name
            if let string = components.string { return string }
        }
        // key=value conninfo: a later keyword overrides an earlier one.
        return url + " dbname=" + name
    }

    struct MissingServer: Error, CustomStringConvertible {
        var description: String { TestDatabase.missingServerMessage }
    }
}

/// Creates a fresh database for the whole suite and drops it afterwards, so concurrent runs
/// (other checkouts, other suites) never see each other's tables.
struct TemporaryDatabaseTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let serverURL = try TestDatabase.requireServerURL()
        let name = "feedloop_pgtest_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let admin = try PostgresConnection(url: serverURL, logger: TestDatabase.logger)
        defer { admin.close() }
        try admin.query("CREATE DATABASE \(name)")
        do {
            try await TestDatabase.$current.withValue(TestDatabase.url(serverURL, database: name)) {
                try await function()
            }
        } catch {
            _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        // FORCE: a test that failed half-way may have left a connection open.
        try admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

extension Trait where Self == TemporaryDatabaseTrait {
    /// Runs the suite against its own freshly created database.
    static var temporaryDatabase: Self { TemporaryDatabaseTrait() }
}

/// Runs `body`, which must throw a ``PostgresError``, and returns that error.
func expectPostgresError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws -> PostgresError {
    do {
        try body()
    } catch let error as PostgresError {
        return error
    }
    Issue.record("expected a PostgresError, nothing was thrown", sourceLocation: sourceLocation)
    throw ExpectedError()
}

struct ExpectedError: Error {}
