import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// One cell of the daily rollup.
struct DailyCountKey: Hashable, Comparable {
    /// `YYYY-MM-DD`, the UTC date the event occurred.
    var day: String
    var dimension: String
    var value: String

    static func < (a: DailyCountKey, b: DailyCountKey) -> Bool {
        (a.day, a.dimension, a.value) < (b.day, b.dimension, b.value)
    }
}

/// Adds each event to `daily_counts`. The batch is summed in memory and written with one
/// multi-row upsert; the consume loop's inbox has already dropped redelivered message ids, so
/// adding is idempotent per message.
final class DailyCountsHandler: MessageHandler {
    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var counts: [DailyCountKey: Int64] = [:]
        for m in messages {
            for (dimension, value) in try Self.cells(of: m) {
                counts[DailyCountKey(day: Self.utcDay(m.header.occurredAt), dimension: dimension, value: value), default: 0] += 1
            }
        }
        guard !counts.isEmpty else { return [] }
        // A fixed row order, so that two replicas upserting overlapping cells cannot deadlock.
        let keys = counts.keys.sorted()
        try db.query(
            """
            INSERT INTO daily_counts (day, dimension, value, count)
            SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int8[])
            ON CONFLICT (day, dimension, value) DO UPDATE SET count = daily_counts.count + EXCLUDED.count
            """,
            [
                .textArray(keys.map(\.day)),
                .textArray(keys.map(\.dimension)),
                .textArray(keys.map(\.value)),
                .intArray(keys.map { counts[$0]! }),
            ]
        )
        return []
    }

    /// The (dimension, value) cells one event adds 1 to.
    static func cells(of message: InboundMessage) throws -> [(String, String)] {
        switch message.type {
        case .feedbackReceived:
            let e = try message.decode(FeedbackReceived.self).data
            return [("received", "all"), ("channel", e.channel.rawValue), ("state", TicketState.received.rawValue)]
        case .ticketClassified:
            let e = try message.decode(TicketClassified.self).data
            return [
                ("category", e.category.rawValue), ("level", String(e.level.rawValue)), ("department", e.department),
                ("sentiment", e.sentiment.rawValue), ("state", TicketState.open.rawValue),
            ]
        case .ticketEscalated:
            let e = try message.decode(TicketEscalated.self).data
            return [("escalated", e.metric.rawValue), ("escalation_step", String(e.step))]
        default:
            // Nothing in the summary counts the other events yet.
            return []
        }
    }

    private static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func utcDay(_ date: Date) -> String {
        let d = utcCalendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }
}
