import Logging
import ServiceLifecycle

/// The entry point shared by the four consuming workers: configuration, logging, the
/// consume loop on its own thread and any extra services (an HTTP server), shut down
/// together on SIGTERM or SIGINT.
public enum WorkerMain {
    public static func run(
        role: WorkerRole,
        configuration: FeedloopConfiguration,
        extraServices: [any Service] = [],
        makeHandler: @escaping @Sendable (Logger) throws -> MessageHandler
    ) async throws {
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        let logger = FeedloopLogging.logger("feedloop.\(role.rawValue)")
        // Fail at start, not at the first message, when the handler's configuration is wrong.
        _ = try makeHandler(logger)
        let consumer = ThreadService(name: "feedloop-\(role.rawValue)-consumer") { stop in
            do {
                let handler = try makeHandler(logger)
                BatchConsumer(role: role, configuration: configuration, handler: handler, logger: logger, stop: stop).run()
            } catch {
                logger.critical("handler could not start", metadata: ["error": "\(error)"])
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: consumer)] + extraServices.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
