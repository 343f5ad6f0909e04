import ArgumentParser
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// `feedloop-analytics`: keeps the rollups from every event and serves reports from them.
@main
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-analytics",
        abstract: "Counts every event into rollups and serves reports over HTTP.",
        discussion: """
            Consumes every event type from the queue feedloop.analytics and adds it to the rollup tables (analytics_ticket_counts, analytics_escalations, analytics_durations, analytics_keywords, analytics_surveys, analytics_survey_dimensions; docs/ANALYTICS.md), per local day and month in FEEDLOOP_REPORT_TIME_ZONE, in the batch's transaction. A redelivered message is counted once: the consume loop's inbox skips message ids it has handled, and every change is additive per event. Run more copies to scale out.

            Routes (reports need an API key with role agent or admin: Authorization: Bearer KEY or X-API-Key):
              GET /v1/reports/summary       the Report as JSON
              GET /v1/reports/summary.csv   the same as CSV, one table per section
              GET /v1/reports/timeseries    the period's and the previous period's daily points
              GET /health                   200 when the database answers, else 503
              GET /                         the dashboard (HTML; same query plus lang=zh|en); key given once as ?key= or through its sign-in form, then kept in an HttpOnly cookie
              GET /report.html|md|csv       the dashboard's view as a report document
              GET /health/live, /health/ready, /metrics   liveness, readiness (database, broker, queues) and Prometheus metrics, no key (docs/OBSERVABILITY.md)
            Query parameters: period=2026-11-23 | 2026-W47 | 2026-11 | 2026-11-01..2026-11-15 (default: the current ISO week), or from=YYYY-MM-DD&to=YYYY-MM-DD; department, channel, category, level (1-3), tier. A malformed value is a 400 naming the parameter.

            \(FeedloopConfiguration.helpText)
              FEEDLOOP_HTTP_HOST              address to listen on (default 127.0.0.1)
              FEEDLOOP_HTTP_PORT              port to listen on (default 8081; 0 picks a free one and logs it)
              FEEDLOOP_DB_POOL_SIZE           database connections for requests (default 8)
              FEEDLOOP_REPORT_TIME_ZONE       IANA zone whose days the rollups count (default UTC); fixed once counting started
              FEEDLOOP_API_KEY_CACHE_SECONDS  how long a verified key is trusted before it is checked again (default 5)
            \(ObservabilityHelp.shutdownText)
            """
    )

    func run() async throws {
        let environment = Environment()
        let configuration = try FeedloopConfiguration(environment: environment, defaultHTTPPort: WorkerRole.analytics.defaultHTTPPort)
        let zone = try Self.timeZone(environment)
        let keyCacheSeconds = try environment.int("FEEDLOOP_API_KEY_CACHE_SECONDS", default: 5, range: 0...300)
        try Self.settle(zone, configuration: configuration)
        let readiness = Readiness()
        let server = ReportServerService(configuration: configuration, timeZone: zone, keyCacheSeconds: keyCacheSeconds, readiness: readiness)
        try await WorkerMain.run(role: .analytics, configuration: configuration, readiness: readiness, httpServer: server) { _ in
            RollupHandler(timeZone: zone)
        }
    }

    static func timeZone(_ environment: Environment) throws -> TimeZone {
        let name = environment.string("FEEDLOOP_REPORT_TIME_ZONE", default: "UTC")
        guard let zone = TimeZone(identifier: name) else {
            throw ConfigurationError(variable: "FEEDLOOP_REPORT_TIME_ZONE", reason: "\"\(name)\" is not an IANA time zone such as UTC or Asia/Shanghai")
        }
        return zone
    }

    /// Records the zone, or refuses one that differs from the zone already counted in; skipped
    /// when the database is not migrated yet (the worker migrates at start when asked).
    static func settle(_ zone: TimeZone, configuration: FeedloopConfiguration) throws {
        let db = try PostgresConnection.connect(url: configuration.databaseURL, logger: Logger(label: "feedloop.analytics"), shouldStop: { false })
        defer { db.close() }
        if try db.query("SELECT to_regclass('analytics_settings') IS NOT NULL")[0].decode(Bool.self, at: 0) {
            try AnalyticsTimeZone.settle(zone, in: db)
        }
    }
}
