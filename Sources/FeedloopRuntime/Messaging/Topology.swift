import AMQP
import FeedloopCore

/// The worker roles that consume from the bus, each with its own quorum queue.
public enum WorkerRole: String, CaseIterable, Sendable {
    case classifier, escalator, notifier, analytics

    /// `feedloop.<role>`: competing consumers of one role share it.
    public var queue: String { "feedloop.\(rawValue)" }
    /// Where failed messages are parked with their reason.
    public var deadQueue: String { "\(queue).dead" }
    /// Where a failed message waits before it returns to ``queue``.
    public var retryQueue: String { "\(queue).retry" }

    /// The event types this role handles.
    public var subscriptions: [EventType] {
        switch self {
        case .classifier: [.feedbackReceived]
        // Every staff action may start, pause, resume or stop a clock.
        case .escalator: [.ticketClassified] + TicketAction.allCases.map(\.eventType)
        case .notifier:
            [
                .ticketClassified, .ticketSLAWarning, .ticketEscalated, .ticketResponded, .ticketPlanRecorded, .ticketResolved,
                .ticketReopened, .surveyAnswered,
            ]
        // Reports count everything that happens to a ticket.
        case .analytics: EventType.allCases
        }
    }
}

/// Names and declarations of Feedloop's exchanges and queues (ARCHITECTURE §4).
/// Declarations are idempotent: every worker declares what it uses at start.
public enum Topology {
    /// Topic exchange; the routing key is the event type.
    public static let eventsExchange = "feedloop.events"
    /// Direct exchange the broker dead-letters into (keyed by the dead queue's name).
    public static let deadLetterExchange = "feedloop.dlx"

    /// Declares the exchanges and, for `role`, its main, retry and dead queues with bindings.
    public static func declare(_ role: WorkerRole, on connection: AMQPConnection, deliveryLimit: Int, retryDelay: Duration) throws {
        try declareExchanges(on: connection)
        try connection.declareQueue(role.queue, arguments: mainQueueArguments(role, deliveryLimit: deliveryLimit))
        for type in role.subscriptions {
            try connection.bindQueue(role.queue, exchange: eventsExchange, routingKey: type.rawValue)
        }
        try connection.declareQueue(role.deadQueue, arguments: ["x-queue-type": .string("quorum")])
        try connection.bindQueue(role.deadQueue, exchange: deadLetterExchange, routingKey: role.deadQueue)
        // Expired retries go back to the main queue through the default exchange.
        try connection.declareQueue(
            role.retryQueue,
            arguments: [
                "x-queue-type": .string("quorum"),
                "x-message-ttl": .int(retryDelay.wholeMilliseconds),
                "x-dead-letter-exchange": .string(""),
                "x-dead-letter-routing-key": .string(role.queue),
                "x-dead-letter-strategy": .string("at-least-once"),
                "x-overflow": .string("reject-publish"),
            ]
        )
    }

    /// Declares every role's queues: producers do this so that nothing published before the
    /// first worker starts is dropped by an exchange with no bound queue.
    public static func declareAll(on connection: AMQPConnection, deliveryLimit: Int, retryDelay: Duration) throws {
        for role in WorkerRole.allCases {
            try declare(role, on: connection, deliveryLimit: deliveryLimit, retryDelay: retryDelay)
        }
    }

    public static func declareExchanges(on connection: AMQPConnection) throws {
        try connection.declareExchange(eventsExchange, type: "topic")
        try connection.declareExchange(deadLetterExchange, type: "direct")
    }

    static func mainQueueArguments(_ role: WorkerRole, deliveryLimit: Int) -> AMQPTable {
        [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int(Int64(deliveryLimit)),
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-routing-key": .string(role.deadQueue),
            // At-least-once dead-lettering needs reject-publish: a full queue refuses new
            // messages (the publisher sees a nack) instead of dropping old ones.
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }
}
