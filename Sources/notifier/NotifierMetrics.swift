import FeedloopRuntime
import Metrics

/// `feedloop_notifications_total{channel,outcome}`: what became of each delivery attempt,
/// counted where ``NotificationDelivery`` records it.
enum NotifierMetrics {
    enum Outcome: String {
        /// Accepted by the channel (SMTP 2xx, HTTP 2xx, logged).
        case sent
        /// Failed for now; comes back through a retry queue.
        case retried
        /// Failed for good, or used its attempts.
        case dead
        /// Not sent yet: quiet hours or the address's rate limit.
        case held
    }

    static func count(_ channel: String, _ outcome: Outcome) {
        Counter(label: MetricName.notifications, dimensions: [("channel", channel), ("outcome", outcome.rawValue)]).increment()
    }
}
