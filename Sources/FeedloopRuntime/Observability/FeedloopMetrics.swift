import CoreMetrics
import Metrics
import Prometheus

/// The process's metrics: one Prometheus registry behind the swift-metrics API, so that every
/// counter and histogram made anywhere in the process (ours and Hummingbird's) is served by
/// `GET /metrics`.
///
/// `MetricsSystem` may be bootstrapped only once per process, and tests run many consumers in
/// one process, so ``bootstrap()`` is a process-wide once that every worker entry point and
/// every ``BatchConsumer`` calls.
public enum FeedloopMetrics {
    /// The registry `/metrics` renders.
    public static let registry = PrometheusCollectorRegistry()

    /// Histogram buckets per metric name; swift-metrics recorders with `aggregate: true` become
    /// Prometheus histograms with these bounds.
    static let valueBuckets: [String: [Double]] = [
        MetricName.batchSize: [1, 2, 5, 10, 25, 50, 100, 200, 500, 1000, 2000, 5000],
        MetricName.batchSeconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        MetricName.messageAgeSeconds: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
        MetricName.slaFireLatenessSeconds: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    ]

    /// Hummingbird's MetricsMiddleware names, renamed to the Prometheus conventions the
    /// dashboards use (counters end in `_total`, durations in `_seconds`); labels keep their
    /// names with dots made underscores (`http_route`, `http_request_method`, ...).
    static let renamed: [String: String] = [
        "hb.requests": "hb_requests_total",
        "hb.request.errors": "hb_request_errors_total",
        "http.server.request.duration": "hb_request_duration_seconds",
        "http.server.active_requests": "hb_active_requests",
    ]

    private static let bootstrapOnce: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets = valueBuckets
        factory.nameAndLabelSanitizer = { name, labels in (renamed[name] ?? name, labels) }
        MetricsSystem.bootstrap(factory)
    }()

    /// Routes swift-metrics into ``registry``; safe to call any number of times from any thread.
    public static func bootstrap() {
        _ = bootstrapOnce
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public static func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }

    /// The content type of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// The metric names of the observability contract (docs/OBSERVABILITY.md); dashboards and
/// alert rules are written against these, so they never change silently.
public enum MetricName {
    public static let messages = "feedloop_messages_total"
    public static let batchSize = "feedloop_batch_size"
    public static let batchSeconds = "feedloop_batch_seconds"
    public static let messageAgeSeconds = "feedloop_message_age_seconds"
    public static let queueMessages = "feedloop_queue_messages"
    public static let reconnects = "feedloop_reconnects_total"
    public static let outboxPublished = "feedloop_outbox_published_total"
    public static let intakeItems = "feedloop_intake_items_total"
    public static let notifications = "feedloop_notifications_total"
    public static let escalations = "feedloop_escalations_total"
    public static let slaFireLatenessSeconds = "feedloop_sla_fire_lateness_seconds"
}
