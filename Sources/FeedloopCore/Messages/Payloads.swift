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

    public var messageDiscriminator: [String] { [metric.rawValue, String(step)] }

    public init(ticketId: Int64, metric: SLAMetric, step: Int, notify: String, department: String?, dueAt: Date, escalatedAt: Date) {
        self.ticketId = ticketId
        self.metric = metric
        self.step = step
        self.notify = notify
        self.department = department
        self.dueAt = dueAt
        self.escalatedAt = escalatedAt
    }
}
