import ArgumentParser
import AsyncHTTPClient
import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging

@main
struct NotifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-notifier",
        abstract: "Acknowledges classified feedback to customers and tells staff about escalations.",
        discussion: """
            Consumes ticket.classified and ticket.escalated from feedloop.notifier and writes one \
            notification row per event and audience (a redelivered event never writes a second). \
            After every batch, and every retry interval, it claims due rows with FOR UPDATE SKIP \
            LOCKED and delivers them: to the log when no webhook is configured, else as a JSON POST \
            with X-Feedloop-Event and X-Feedloop-Delivery headers. Failures (5xx, 408, 429, timeouts, refused \
            connections) are retried after 10 s, 1 min, 10 min, then hourly, and the row is marked \
            dead after 6 attempts; any other answer (4xx, 3xx) marks it dead at once. Any number of replicas may run.

            \(FeedloopConfiguration.helpText)
              FEEDLOOP_WEBHOOK_URL          http(s) URL to POST notifications to (default: log them)
              FEEDLOOP_WEBHOOK_SECRET       not supported by this build yet: deliveries are unsigned
              FEEDLOOP_WEBHOOK_TIMEOUT_MS   per delivery, connecting included (default 10000)
              FEEDLOOP_RETRY_SCAN_MS        how often due retries are claimed (default 1000)
            """
    )

    func run() async throws {
        let environment = Environment()
        let configuration = try FeedloopConfiguration(environment: environment)
        let webhookURL = try Self.webhookURL(environment)
        let timeout = try environment.milliseconds("FEEDLOOP_WEBHOOK_TIMEOUT_MS", default: 10_000, range: 100...300_000)
        let scan = try environment.milliseconds("FEEDLOOP_RETRY_SCAN_MS", default: 1000, range: 50...60_000)
        let signingRequested = environment.optionalString("FEEDLOOP_WEBHOOK_SECRET") != nil
        let warnedAboutSigning = OnceFlag()

        // One client for the process: its connection pool is shared by every delivery.
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                // A redirect would turn the POST into a GET somewhere else: report it instead.
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(timeout.wholeMilliseconds)),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
            )
        )
        do {
            try await WorkerMain.run(role: .notifier, configuration: configuration) { logger in
                // WorkerMain makes the handler twice (a check at start, then the real one): warn once.
                if signingRequested, warnedAboutSigning.claim() {
                    logger.warning("FEEDLOOP_WEBHOOK_SECRET is set but this build cannot sign webhooks; deliveries are unsigned")
                }
                let webhook = webhookURL.map { WebhookTransport(client: http, url: $0, timeout: timeout) }
                return NotificationHandler(
                    channel: webhook == nil ? .log : .webhook,
                    dispatcher: NotificationDispatcher(webhook: webhook, logger: logger),
                    retryScanInterval: scan
                )
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// `FEEDLOOP_WEBHOOK_URL`, checked at start so that a typo fails now, not at the first delivery.
    static func webhookURL(_ environment: Environment) throws -> String? {
        guard let raw = environment.optionalString("FEEDLOOP_WEBHOOK_URL") else { return nil }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ConfigurationError(variable: "FEEDLOOP_WEBHOOK_URL", reason: "expected an http:// or https:// URL")
        }
        return raw
    }
}
