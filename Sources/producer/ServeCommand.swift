import ArgumentParser
import FeedloopRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// `feedloop-producer serve`: the HTTP API and the outbox relay, shut down together.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serves the feedback HTTP API (the default subcommand).",
        discussion: """
            Routes:
              POST /v1/feedback     submit one item (JSON, at most 64 KiB)
              GET /v1/tickets/{id}  a ticket's state and classification, or 404
              GET /health           200 when the database answers, else 503

            Example:
              curl -H 'Content-Type: application/json' \\
                -d '{"channel": "email", "external_id": "m-1", "text": "...",
                     "customer": {"ref": "c-9", "tier": "vip"},
                     "received_at": "2026-11-23T08:15:00Z"}' \\
                http://127.0.0.1:8080/v1/feedback

            Answers 201 {"ticket_id": N, "state": "received"} with a Location header; 200 with the existing ticket when the same (channel, external_id) was submitted before; 400, 413 or 415 with {"error": "...", "fields": [{"field": "text", "reason": "must not be empty"}]} for refused input, which stores nothing. GET /v1/tickets/{id} shows no customer data but the tier.

            Each accepted item is committed with its feedback.received event in the outbox. A relay thread publishes the outbox in confirmed batches right after commits, and sweeps it every second for rows left by a producer that was killed. At start the database schema is checked (or migrated with FEEDLOOP_MIGRATE=true) and every role's queue is declared. SIGTERM or SIGINT stops taking requests, publishes what is pending and exits 0.

            \(FeedloopConfiguration.helpText)
              FEEDLOOP_HTTP_HOST       address to listen on (default 127.0.0.1)
              FEEDLOOP_HTTP_PORT       port to listen on (default 8080)
              FEEDLOOP_DB_POOL_SIZE    database connections for requests (default 8)
              FEEDLOOP_INTAKE_BATCH    submissions per transaction at most (default 500;
                                       1: a transaction per request)
            """
    )

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        let logger = FeedloopLogging.logger("feedloop.producer")

        let db = try ProducerStartup.openDatabase(configuration, logger: logger)
        db.close()
        try ProducerStartup.declareTopology(configuration, logger: logger)

        let pool = DatabasePool(url: configuration.databaseURL, size: configuration.databasePoolSize, logger: logger)
        defer { pool.close() }
        let wakeup = RelayWakeup()
        let router = Router()
        // Half the pool writes submissions (each transaction a batch of them); the rest stays
        // free for reads and health checks.
        let intakeBatch = try Environment().int("FEEDLOOP_INTAKE_BATCH", default: 500, range: 1...5000)
        let intake = IntakeBatcher(pool: pool, writers: max(1, configuration.databasePoolSize / 2), maxBatch: intakeBatch, logger: logger)
        FeedbackRoutes(pool: pool, intake: intake, wakeup: wakeup, logger: logger).register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "feedloop-producer"),
            logger: logger
        )
        // The relay starts first so that it stops last: the server finishes its requests, then
        // the relay publishes what they committed.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: ThreadService.outboxRelay(configuration: configuration, wakeup: wakeup, logger: logger)),
                    .init(service: app),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("producer listening", metadata: ["host": "\(configuration.httpHost)", "port": "\(configuration.httpPort)"])
        try await group.run()
    }
}
