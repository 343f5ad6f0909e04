import FeedloopRuntime
import Foundation
import Metrics

/// The escalator's own figures: `feedloop_escalations_total{step}` per ladder step fired, and
/// `feedloop_sla_fire_lateness_seconds`, how long after its time a warning or step fired (the
/// scan interval plus any backlog: what an SLA dashboard watches).
enum EscalatorMetrics {
    static func escalated(step: Int, dueSince: Date, now: Date) {
        Counter(label: MetricName.escalations, dimensions: [("step", "\(step)")]).increment()
        fired(dueSince: dueSince, now: now)
    }

    static func fired(dueSince: Date, now: Date) {
        Recorder(label: MetricName.slaFireLatenessSeconds).record(max(0, now.timeIntervalSince(dueSince)))
    }
}
