import FeedloopCore
import FeedloopRuntime
import Metrics

/// `feedloop_intake_items_total{channel,outcome}`: submitted feedback items, counted where the
/// producer answers them. A refused request stores nothing and its channel may be what is
/// wrong with it, so it counts once as `rejected` with channel `unknown`.
enum IntakeMetrics {
    enum Outcome: String {
        case accepted, duplicate, rejected
    }

    static func count(_ channel: Channel, duplicate: Bool) {
        counter(channel.rawValue, duplicate ? .duplicate : .accepted).increment()
    }

    /// A stored batch: one increment per channel and outcome.
    static func count(_ channels: [Channel], duplicates: [Bool]) {
        var tally: [String: [Outcome: Int]] = [:]
        for (channel, duplicate) in zip(channels, duplicates) {
            tally[channel.rawValue, default: [:]][duplicate ? .duplicate : .accepted, default: 0] += 1
        }
        for (channel, outcomes) in tally {
            for (outcome, n) in outcomes { counter(channel, outcome).increment(by: n) }
        }
    }

    static func rejected() {
        counter("unknown", .rejected).increment()
    }

    private static func counter(_ channel: String, _ outcome: Outcome) -> Counter {
        Counter(label: MetricName.intakeItems, dimensions: [("channel", channel), ("outcome", outcome.rawValue)])
    }
}
