extension WorkerRole {
    /// The port each role serves health and metrics on unless FEEDLOOP_HTTP_PORT says otherwise
    /// (the producer has 8080): one machine runs one of each without settings.
    public var defaultHTTPPort: Int {
        switch self {
        case .analytics: 8081
        case .classifier: 8082
        case .escalator: 8083
        case .notifier: 8084
        }
    }
}

/// The `--help` lines of the health server and graceful shutdown, shared by every worker.
public enum ObservabilityHelp {
    /// For a worker whose only HTTP routes are these (classifier, escalator, notifier).
    public static func workerText(defaultPort: Int) -> String {
        """
        Health and metrics (docs/OBSERVABILITY.md), no API key:
          GET /health/live     200 {"status":"live"} while the process runs
          GET /health/ready    200 when database and broker are connected and
                               the queues declared, else 503 naming each
                               failing check and why
          GET /metrics         Prometheus text: feedloop_messages_total, batch
                               size and latency, message age, queue depth, ...
          FEEDLOOP_HTTP_HOST   address to listen on [127.0.0.1]
          FEEDLOOP_HTTP_PORT   port to listen on; 0 picks a free one and logs it [\(defaultPort)]
        \(shutdownText)
        """
    }

    /// The graceful shutdown setting, for every executable that runs as a service.
    public static let shutdownText = """
          FEEDLOOP_SHUTDOWN_TIMEOUT_S
                               on SIGTERM: stop taking work, finish and
                               acknowledge what is held, exit 0 within this
                               many seconds; past it exit 1 without
                               acknowledging (the broker redelivers) [25]
        """
}
