import Foundation

/// A feedback item was stored as a `received` ticket.
public struct FeedbackReceived: EventPayload, Equatable {
    public static let type = EventType.feedbackReceived
    public static let schemaVersion = 1
    public var ticketId: Int64
    public var channel: Channel
    public var externalId: String?
    public var text: String
    public var customerTier: CustomerTier?
    public var receivedAt: Date

    public init(ticketId: Int64, channel: Channel, externalId: String?, text: String, customerTier: CustomerTier?, receivedAt: Date) {
        self.ticketId = ticketId
        self.channel = channel
        self.externalId = externalId
        self.text = text
        self.customerTier = customerTier
        self.receivedAt = receivedAt
    }
}

/// A ticket was classified, graded and routed; it is now `open`.
public struct TicketClassified: EventPayload, Equatable {
    public static let type = EventType.ticketClassified
    public static let schemaVersion = 1
    public var ticketId: Int64
    public var channel: Channel
    public var category: Category
    public var subcategory: String?
    public var sentiment: Sentiment
    public var level: Level
    /// Which rule set the level.
    public var levelRule: String
    public var department: String
    public var customerTier: CustomerTier?
    public var receivedAt: Date
    public var classifiedAt: Date

    public init(
        ticketId: Int64, channel: Channel, category: Category, subcategory: String?, sentiment: Sentiment, level: Level,
        levelRule: String, department: String, customerTier: CustomerTier?, receivedAt: Date, classifiedAt: Date
    ) {
        self.ticketId = ticketId
        self.channel = channel
        self.category = category
        self.subcategory = subcategory
        self.sentiment = sentiment
        self.level = level
        self.levelRule = levelRule
        self.department = department
        self.customerTier = customerTier
        self.receivedAt = receivedAt
        self.classifiedAt = classifiedAt
    }
}

/// An SLA clock passed its due time and climbed one step of the escalation ladder.
public struct TicketEscalated: EventPayload, Equatable {
    public static let type = EventType.ticketEscalated
    public static let schemaVersion = 1
    public var ticketId: Int64
    public var metric: SLAMetric
    public var step: Int
    /// The person or role to notify for this step.
    public var notify: String
    public var department: String?
    public var dueAt: Date
    public var escalatedAt: Date
    /// Which run of the clock: a reopened ticket's new resolution clock is cycle 2, and climbs
    /// the ladder again.
    public var cycle: Int
    /// The ticket's assignee when the step fired, if it has one.
    public var assignee: String?
    /// Why the step fired, in words for the escalation record and the message.
    public var reason: String?

    public var messageDiscriminator: [String] {
        [metric.rawValue, String(step)] + (cycle > 1 ? [String(cycle)] : [])
    }

    public init(
        ticketId: Int64, metric: SLAMetric, step: Int, notify: String, department: String?, dueAt: Date, escalatedAt: Date,
        cycle: Int = 1, assignee: String? = nil, reason: String? = nil
    ) {
        self.ticketId = ticketId
        self.metric = metric
        self.step = step
        self.notify = notify
        self.department = department
        self.dueAt = dueAt
        self.escalatedAt = escalatedAt
        self.cycle = cycle
        self.assignee = assignee
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case ticketId, metric, step, notify, department, dueAt, escalatedAt, cycle, assignee, reason
    }

    /// Events written before cycles existed are cycle 1.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.ticketId = try c.decode(Int64.self, forKey: .ticketId)
        self.metric = try c.decode(SLAMetric.self, forKey: .metric)
        self.step = try c.decode(Int.self, forKey: .step)
        self.notify = try c.decode(String.self, forKey: .notify)
        self.department = try c.decodeIfPresent(String.self, forKey: .department)
        self.dueAt = try c.decode(Date.self, forKey: .dueAt)
        self.escalatedAt = try c.decode(Date.self, forKey: .escalatedAt)
        self.cycle = try c.decodeIfPresent(Int.self, forKey: .cycle) ?? 1
        self.assignee = try c.decodeIfPresent(String.self, forKey: .assignee)
        self.reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }
}
