import FeedloopCore
import Foundation

/// What analytics knows about a ticket when it counts one of its events: the dimensions a
/// report filters by ('' and level 0 when unknown), when it was received and its keywords.
public struct TicketDimensions: Hashable, Sendable {
    public var department: String
    public var channel: String
    public var category: String
    public var subcategory: String
    public var level: Int
    public var tier: String
    public var receivedAt: Date
    public var keywords: [String]

    /// The same ticket before classification: channel and tier only.
    var unclassified: TicketDimensions {
        TicketDimensions(department: "", channel: channel, category: "", subcategory: "", level: 0, tier: tier, receivedAt: receivedAt, keywords: [])
    }
}

/// A cell of `analytics_ticket_counts` at day grain; written at month grain too.
struct TicketCell: Hashable {
    var day: LocalDate
    var department: String
    var channel: String
    var category: String
    var subcategory: String
    var level: Int
    var tier: String

    init(day: LocalDate, _ d: TicketDimensions) {
        self.day = day
        self.department = d.department
        self.channel = d.channel
        self.category = d.category
        self.subcategory = d.subcategory
        self.level = d.level
        self.tier = d.tier
    }

    /// Key texts at `grain` ('d' or 'm').
    func key(grain: Character) -> [String] {
        [String(grain), RollupGrain.bucket(day, grain: grain).description, department, channel, category, subcategory, String(level), tier]
    }
}

/// Day and month buckets.
enum RollupGrain {
    static let both: [Character] = ["d", "m"]

    /// The day itself, or the first day of its month.
    static func bucket(_ day: LocalDate, grain: Character) -> LocalDate {
        grain == "m" ? LocalDate(year: day.year, month: day.month, day: 1) : day
    }
}
