import ArgumentParser
import FeedloopRuntime

/// `feedloop-analytics`: keeps the daily rollup from every event and serves reports from it.
@main
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-analytics",
        abstract: "Counts every event into daily rollups and serves reports over HTTP.",
        discussion: """
            Consumes feedback.received, ticket.classified and ticket.escalated from the queue feedloop.analytics and adds them to daily_counts (the event's day in UTC, dimension, value), one multi-row upsert per batch. A redelivered message is counted once: the consume loop's inbox skips message ids it has handled. Run more copies to scale out.

            Routes:
              GET /v1/reports/summary?from=YYYY-MM-DD&to=YYYY-MM-DD
              GET /health   200 when the database answers, else 503

            The summary totals the inclusive range (default: the 30 days ending today, UTC) from daily_counts only: received, by_channel, by_category, by_level, by_department, by_sentiment, by_state, escalations (by SLA metric) and by_escalation_step. A malformed or reversed range is a 400 naming the parameter.

            \(FeedloopConfiguration.helpText)
              FEEDLOOP_HTTP_HOST       address to listen on (default 127.0.0.1)
              FEEDLOOP_HTTP_PORT       port to listen on (default 8081)
              FEEDLOOP_DB_POOL_SIZE    database connections for requests (default 8)
            """
    )

    func run() async throws {
        let configuration = try FeedloopConfiguration(environment: Environment(), defaultHTTPPort: 8081)
        let server = ReportServerService(configuration: configuration)
        try await WorkerMain.run(role: .analytics, configuration: configuration, extraServices: [server]) { _ in
            DailyCountsHandler()
        }
    }
}
