import ArgumentParser
import FeedloopCore
import FeedloopHTTP
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
            Routes (JSON in UTF-8: Content-Type application/json, with no charset or charset=utf-8, else 415):
              POST /v1/feedback        submit one item (at most 64 KiB)      intake, admin
              POST /v1/feedback:batch  submit {"items": [...]} (at most       intake, admin
                                       FEEDLOOP_INTAKE_MAX_BATCH items, 8 MiB)
              POST /v1/surveys/{survey}/responses                             intake, admin
                                       one answer to a questionnaire
              GET /v1/tickets/{id}     a ticket, its customer masked, or 404  any role
              GET /v1/survey-links/{token}                                    token
                                       the questionnaire a rating link opens; 403 forged,
                                       410 expired, 409 already used
              POST /v1/survey-links/{token}/responses                         the link's token
                                       the answer, once per link (no respondent/ticket_id)
              GET /v1/openapi.yaml     the OpenAPI 3.1 document               open
              GET /health              200 when the database answers          open
              GET /health/live         200 while the process runs             open
              GET /health/ready        200 when database and broker answer    open
                                       and the queues are declared, else 503
                                       naming each failing check
              GET /metrics             Prometheus metrics (docs/OBSERVABILITY.md) open
            Authentication: every /v1 route but the document needs an API key, as `Authorization: Bearer KEY` or `X-API-Key: KEY`. Create one with `feedloopctl keys create --name NAME --role intake|agent|admin` (it is printed once; only its SHA-256 is stored) and revoke it with `feedloopctl keys revoke PREFIX`. Missing, malformed, unknown or revoked keys get 401 with WWW-Authenticate; a key whose role may not use the route gets 403. Verified keys are remembered for FEEDLOOP_API_KEY_CACHE_SECONDS, so a revocation takes effect within that time. Logs name a key by its prefix only and never carry customer data.
            Example:
              KEY=$(feedloopctl keys create --name web-chat --role intake)
              curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
                -d '{"channel": "email", "external_id": "m-1", "text": "...",
                     "customer": {"ref": "c-9", "tier": "vip", "name": "张三",
                                  "phone": "13812341234", "locale": "zh-CN"},
                     "received_at": "2026-11-23T08:15:00Z"}' \\
                http://127.0.0.1:8080/v1/feedback
            Answers 201 {"ticket_id": N, "state": "received"} with a Location header; 200 with the existing ticket when the same (channel, external_id) was submitted before, or, for an item without external_id, the same Idempotency-Key header on the same channel (also under concurrent retries). A batch is all or nothing: any invalid item gets 400 naming each problem as items[3].text and nothing is stored; otherwise the batch is one transaction and the answer lists each item's ticket_id and status (created or duplicate). Refused input gets 400, 413 or 415 with {"error": "...", "fields": [{"field": "text", "reason": "must not be empty"}]} and stores nothing. The customer object (ref, tier, name, phone, email, locale) upserts the customer record by ref; its name, phone and email are shown masked (张*, 138****1234). The whole API is described by GET /v1/openapi.yaml (docs/openapi.yaml); `feedloop-producer routes` lists the routes.
            Each accepted item is committed with its feedback.received event in the outbox. A relay thread publishes the outbox in confirmed batches right after commits, and sweeps it every second for rows left by a producer that was killed. At start the database schema is checked (or migrated with FEEDLOOP_MIGRATE=true) and every role's queue is declared. SIGTERM or SIGINT stops taking requests, publishes what is pending and exits 0.
            \(FeedloopConfiguration.helpText)
              FEEDLOOP_HTTP_HOST       address to listen on (default 127.0.0.1)
              FEEDLOOP_HTTP_PORT       port to listen on (default 8080; 0 picks a free
                                       one and logs it)
              FEEDLOOP_DB_POOL_SIZE    database connections for requests (default 8)
              FEEDLOOP_INTAKE_BATCH    submissions per transaction at most (default 500;
                                       1: a transaction per request)
              FEEDLOOP_INTAKE_MAX_BATCH
                                       items a POST /v1/feedback:batch may hold (default
                                       500, at most 5000)
              FEEDLOOP_API_KEY_CACHE_SECONDS
                                       how long a verified key is remembered (default 5;
                                       0: look every request up)
            \(ObservabilityHelp.shutdownText)
            \(SurveyCatalog.helpText)
              FEEDLOOP_SURVEY_LINK_SECRET
                                       HMAC key the notifier signs rating links with (at
                                       least 16 bytes); unset: survey-link routes answer 503
            """
    )

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        FeedloopMetrics.bootstrap()
        let logger = FeedloopLogging.logger("feedloop.producer")
        let deadline = try ShutdownDeadline(logger: logger)

        let readiness = Readiness()
        let db = try ProducerStartup.openDatabase(configuration, logger: logger)
        db.close()
        readiness.pass(.database)
        try ProducerStartup.declareTopology(configuration, logger: logger)
        readiness.pass(.broker)
        readiness.pass(.topology)

        let pool = DatabasePool(url: configuration.databaseURL, size: configuration.databasePoolSize, logger: logger)
        defer { pool.close() }
        let wakeup = RelayWakeup()
        // Half the pool writes submissions (each transaction a batch of them); the rest stays
        // free for reads and health checks.
        let environment = FeedloopRuntime.Environment()
        let intakeBatch = try environment.int("FEEDLOOP_INTAKE_BATCH", default: 500, range: 1...5000)
        let maxBatchItems = try environment.int("FEEDLOOP_INTAKE_MAX_BATCH", default: 500, range: 1...5000)
        let keyCacheSeconds = try environment.int("FEEDLOOP_API_KEY_CACHE_SECONDS", default: 5, range: 0...300)
        let intake = IntakeBatcher(pool: pool, writers: max(1, configuration.databasePoolSize / 2), maxBatch: intakeBatch, logger: logger)
        let feedback = FeedbackRoutes(pool: pool, intake: intake, wakeup: wakeup, maxBatchItems: maxBatchItems, logger: logger)
        let verifier = APIKeyVerifier(pool: pool, ttl: .seconds(keyCacheSeconds))
        let catalog = try SurveyCatalog.load(path: environment.optionalString(SurveyCatalog.environmentVariable))
        let surveys = SurveyRoutes(pool: pool, catalog: catalog, wakeup: wakeup, logger: logger)
        let surveyLinks = SurveyLinkRoutes(
            pool: pool, catalog: catalog, secret: try SurveyLinkSecret.from(environment), wakeup: wakeup, logger: logger)
        let router = ProducerRouter.build(
            feedback: feedback, surveys: surveys, surveyLinks: surveyLinks, verifier: verifier, logger: logger, readiness: readiness)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "feedloop-producer"),
            onServerRunning: { channel in WorkerHTTPServer.logListening(channel, host: configuration.httpHost, logger: logger) },
            logger: logger
        )
        // The relay starts first so that it stops last: the server finishes its requests, then
        // the relay publishes what they committed.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: ThreadService.outboxRelay(configuration: configuration, wakeup: wakeup, logger: logger, readiness: readiness)),
                    .init(service: app),
                    // Last, so that it is the first to hear of the shutdown and starts the clock.
                    .init(service: deadline, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
