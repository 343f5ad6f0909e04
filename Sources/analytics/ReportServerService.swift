import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The report HTTP server as a lifecycle service. It builds the server when it starts, not
/// when it is created, because ``WorkerMain`` sets up logging first and loggers made before
/// that would bypass the configured level.
struct ReportServerService: Service {
    let configuration: FeedloopConfiguration
    let timeZone: TimeZone
    let keyCacheSeconds: Int
    /// What the consume loop reports, served at `/health/ready`.
    let readiness: Readiness

    func run() async throws {
        let logger = FeedloopLogging.logger("feedloop.analytics.http")
        let pool = DatabasePool(url: configuration.databaseURL, size: configuration.databasePoolSize, logger: logger)
        defer { pool.close() }
        let verifier = APIKeyVerifier(pool: pool, ttl: .seconds(keyCacheSeconds))
        let router = Router(context: FeedloopRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        ObservabilityRoutes(readiness: readiness).register(on: router)
        ReportRoutes(pool: pool, timeZone: timeZone, verifier: verifier, logger: logger).register(on: router)
        DashboardRoutes(pool: pool, timeZone: timeZone, verifier: verifier, logger: logger).register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "feedloop-analytics"),
            onServerRunning: { channel in WorkerHTTPServer.logListening(channel, host: configuration.httpHost, logger: logger) },
            logger: logger
        )
        // Runs in this task, so the service group's graceful shutdown reaches the server.
        try await app.run()
    }
}
