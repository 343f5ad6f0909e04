import FeedloopRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The small HTTP server of a worker that serves nothing else: `/health/live`,
/// `/health/ready` and `/metrics` on FEEDLOOP_HTTP_HOST:FEEDLOOP_HTTP_PORT (port 0 picks a free
/// port, which is logged). Built when it starts, after ``WorkerMain`` set up logging.
public struct WorkerHTTPServer: Service {
    let role: String
    let configuration: FeedloopConfiguration
    let readiness: Readiness

    public init(role: String, configuration: FeedloopConfiguration, readiness: Readiness) {
        self.role = role
        self.configuration = configuration
        self.readiness = readiness
    }

    public func run() async throws {
        let logger = FeedloopLogging.logger("feedloop.\(role).http")
        let router = Router()
        router.add(middleware: MetricsMiddleware())
        ObservabilityRoutes(readiness: readiness).register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "feedloop-\(role)"),
            onServerRunning: { channel in Self.logListening(channel, host: configuration.httpHost, logger: logger) },
            logger: logger
        )
        // Runs in this task, so the service group's graceful shutdown reaches the server.
        try await app.run()
    }

    /// Logs the port actually bound (the one the system picked for FEEDLOOP_HTTP_PORT=0).
    public static func logListening(_ channel: any Channel, host: String, logger: Logger) {
        let port = channel.localAddress?.port.map(String.init) ?? "?"
        logger.notice("health and metrics listening", metadata: ["host": "\(host)", "port": "\(port)", "url": "http://\(host):\(port)/health/ready"])
    }
}

extension WorkerMain {
    /// A consuming worker with its health and metrics server: the one entry point of the
    /// classifier, escalator and notifier.
    public static func runServingHealth(
        role: WorkerRole,
        configuration: FeedloopConfiguration,
        extraServices: [any Service] = [],
        makeHandler: @escaping @Sendable (Logger) throws -> MessageHandler
    ) async throws {
        let readiness = Readiness()
        try await run(
            role: role, configuration: configuration, readiness: readiness,
            httpServer: WorkerHTTPServer(role: role.rawValue, configuration: configuration, readiness: readiness),
            extraServices: extraServices, makeHandler: makeHandler
        )
    }
}
