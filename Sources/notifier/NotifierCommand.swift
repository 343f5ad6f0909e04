import ArgumentParser
import AsyncHTTPClient
import FeedloopCore
import FeedloopHTTP
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
            After every batch a delivery thread claims due rows with FOR UPDATE SKIP LOCKED and \
            delivers them over their channel: email (SMTP via libcurl, text and HTML, Message-ID \
            derived from the row's key), webhook (signed JSON POST with X-Feedloop-Event and \
            X-Feedloop-Delivery), sms (HTTP gateway) or log. Every attempt is recorded in \
            notification_attempts. Transient failures (HTTP 5xx, 408, 429, SMTP 4xx, timeouts, refused \
            connections) come back through the TTL'd queues feedloop.notifier.retry.<delay> after \
            10 s, 1 min, 10 min, then hourly; after 6 attempts, or at once on a permanent failure \
            (HTTP 4xx, SMTP 5xx), the row is dead with its reason (see feedloopctl notifications dead \
            and replay). Customer messages due in quiet hours, and messages over an address's rate \
            limit, are held and sent later, never dropped. Any number of replicas may run.

            \(FeedloopConfiguration.helpText)
            \(NotificationContent.helpText)
            \(DeliverySettings.helpText)
            \(ObservabilityHelp.workerText(defaultPort: WorkerRole.notifier.defaultHTTPPort))
            """
    )

    func run() async throws {
        let environment = Environment()
        let configuration = try FeedloopConfiguration(environment: environment, defaultHTTPPort: WorkerRole.notifier.defaultHTTPPort)
        // Content (routing, staff directory, templates, rating links): checked before anything runs.
        let content = try NotificationContent.load(environment)
        // Delivery (channels, retries, holds): checked before anything runs too.
        let delivery = try DeliverySettings(environment: environment)
        let dispatcher = NotificationDispatcher()

        // One client for the process: its connection pool is shared by every delivery.
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                // A redirect would turn the POST into a GET somewhere else: report it instead.
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(delivery.webhookTimeout.wholeMilliseconds)),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
            )
        )
        do {
            // Deliveries run on a thread of their own (DeliveryLoop), beside the consume loop.
            let deliveryThread = ThreadService(name: "feedloop-notifier-delivery") { stop in
                let logger = FeedloopLogging.logger("feedloop.notifier.delivery")
                do {
                    let engine = NotificationDelivery(
                        transports: try delivery.transports(http: http, logger: logger), retry: delivery.retry, quietHours: delivery.quietHours,
                        ratePerMinute: delivery.ratePerMinute, logger: logger
                    )
                    DeliveryLoop(
                        configuration: configuration, delivery: engine, dispatcher: dispatcher, sweepInterval: delivery.sweepInterval, logger: logger,
                        stop: stop
                    ).run()
                } catch {
                    logger.critical("delivery could not start", metadata: ["error": "\(error)"])
                }
            }
            // The handler's tick only wakes the delivery thread: the sweep interval is enough.
            let scan = delivery.sweepInterval
            try await WorkerMain.runServingHealth(role: .notifier, configuration: configuration, extraServices: [deliveryThread]) { logger in
                return NotificationHandler(
                    content: content, dispatcher: dispatcher, retryScanInterval: scan, logger: logger)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
