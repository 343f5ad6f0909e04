import Logging
import ServiceLifecycle

/// The entry point shared by the four consuming workers: configuration, logging, metrics,
/// the consume loop on its own thread, the HTTP server with the health and metrics routes,
/// and any extra services, shut down together on SIGTERM or SIGINT within
/// `FEEDLOOP_SHUTDOWN_TIMEOUT_S` (``ShutdownDeadline``).
public enum WorkerMain {
    /// - Parameters:
    ///   - readiness: what the consume loop reports for `/health/ready`; the HTTP server reads it.
    ///   - httpServer: the server of `/health/live`, `/health/ready` and `/metrics` (FeedloopHTTP's
    ///     `WorkerHTTPServer`, or a worker's own server with those routes). It starts first and
    ///     stops last, so probes are answered while the consume loop drains.
    ///   - extraServices: stopped before the consume loop, in reverse order.
    public static func run(
        role: WorkerRole,
        configuration: FeedloopConfiguration,
        readiness: Readiness = Readiness(),
        httpServer: (any Service)? = nil,
        extraServices: [any Service] = [],
        makeHandler: @escaping @Sendable (Logger) throws -> MessageHandler
    ) async throws {
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        FeedloopMetrics.bootstrap()
        let logger = FeedloopLogging.logger("feedloop.\(role.rawValue)")
        let deadline = try ShutdownDeadline(logger: logger)
        // Fail at start, not at the first message, when the handler's configuration is wrong.
        _ = try makeHandler(logger)
        let consumer = ThreadService(name: "feedloop-\(role.rawValue)-consumer") { stop in
            do {
                let handler = try makeHandler(logger)
                BatchConsumer(role: role, configuration: configuration, handler: handler, logger: logger, stop: stop, readiness: readiness).run()
            } catch {
                logger.critical("handler could not start", metadata: ["error": "\(error)"])
            }
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let httpServer { services.append(.init(service: httpServer)) }
        services.append(.init(service: consumer))
        services += extraServices.map { .init(service: $0) }
        // Last, so that it is the first to hear of the shutdown and starts the clock.
        services.append(.init(service: deadline, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
