import AMQP
import FeedloopRuntime
import Foundation

/// The dead letters a ``DeadLetterFilter`` selects across the chosen roles' dead queues, held
/// (unacknowledged) until they are acknowledged or released.
final class DeadLetterSelection {
    struct Match {
        var scan: DeadLetterScan
        var letter: DeadLetter
        var delivery: AMQPDelivery
    }

    /// One dead queue: what was in it, read from it and selected.
    struct QueueSummary: Encodable {
        var role: String
        var queue: String
        var messages: UInt32
        var read: Int
        var matched: Int
    }

    let scans: [DeadLetterScan]
    let matches: [Match]
    let summaries: [QueueSummary]

    /// Reads each chosen dead queue and keeps what matches; `limit` caps the matches (oldest
    /// failure first within a queue, as the queue holds them).
    init(_ filter: DeadLetterFilter, broker: AMQPConnection, limit: Int? = nil) throws {
        var scans: [DeadLetterScan] = []
        var matches: [Match] = []
        var summaries: [QueueSummary] = []
        let now = Date()
        for role in filter.roles {
            let scan = try DeadLetterScan(role: role, broker: broker, limit: filter.scanLimit)
            scans.append(scan)
            var matched = 0
            for (letter, delivery) in scan.letters(now: now) where filter.matches(letter) {
                if let limit, matches.count >= limit { break }
                matches.append(Match(scan: scan, letter: letter, delivery: delivery))
                matched += 1
            }
            summaries.append(QueueSummary(role: role.rawValue, queue: role.deadQueue, messages: scan.queued, read: scan.deliveries.count, matched: matched))
        }
        self.scans = scans
        self.matches = matches
        self.summaries = summaries
    }

    /// Puts back everything not acknowledged.
    func release() throws {
        for scan in scans { try scan.release() }
    }

    /// A note for queues with more messages than were read.
    var unreadNote: String? {
        let unread = summaries.filter { Int($0.messages) > $0.read }
        guard !unread.isEmpty else { return nil }
        let detail = unread.map { "\($0.queue) \(Int($0.messages) - $0.read)" }.joined(separator: ", ")
        return "not read (beyond --scan-limit): \(detail)"
    }
}
