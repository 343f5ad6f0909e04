import Logging
import Postgres

/// What a worker role does with its messages. The ``BatchConsumer`` owns the loop, the
/// transaction, deduplication, publishing and acknowledgements; a handler only turns messages
/// into database changes and resulting events.
public protocol MessageHandler: AnyObject {
    /// Handles messages this role has not seen before, inside one transaction shared by the
    /// whole batch. Returns the events its changes caused; they are committed to the outbox in
    /// the same transaction and published after the commit.
    ///
    /// Throwing rolls the batch back; the loop then retries each message alone to find the
    /// one that fails. Throw ``PermanentMessageError`` (or let a ``MessageDecodingError``
    /// through) for a message that can never succeed.
    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage]

    /// How often ``tick(_:)`` runs between batches; nil for never.
    var tickInterval: Duration? { get }

    /// Periodic work on the worker's thread (the escalator's scan for due clocks).
    func tick(_ context: WorkerContext) throws

    /// Runs after every committed and acknowledged batch (the notifier's deliveries).
    func afterCommit(_ context: WorkerContext) throws
}

extension MessageHandler {
    public var tickInterval: Duration? { nil }
    public func tick(_ context: WorkerContext) throws {}
    public func afterCommit(_ context: WorkerContext) throws {}
}

/// What a handler's periodic work may use: the worker's own database connection and publisher.
public final class WorkerContext {
    public let db: PostgresConnection
    public let publisher: EventPublisher
    public let logger: Logger
    public let configuration: FeedloopConfiguration
    /// The worker's metrics; ``commitAndPublish(_:)`` counts what it publishes here.
    public let metrics: WorkerMetrics
    let shouldStop: () -> Bool

    init(
        db: PostgresConnection, publisher: EventPublisher, logger: Logger, configuration: FeedloopConfiguration, metrics: WorkerMetrics,
        shouldStop: @escaping () -> Bool
    ) {
        self.db = db
        self.publisher = publisher
        self.logger = logger
        self.configuration = configuration
        self.metrics = metrics
        self.shouldStop = shouldStop
    }

    /// Commits `body`'s changes with the events they cause, then publishes those events and
    /// clears them from the outbox: the same rule 1 path as the consume loop's.
    @discardableResult
    public func commitAndPublish(_ body: (PostgresConnection) throws -> [OutgoingMessage]) throws -> Int {
        let inserted = try db.transaction { tx in try Outbox.insert(try body(tx), relayAfter: Outbox.writerGrace, in: tx) }
        try publisher.publish(inserted.map(\.message), shouldStop: shouldStop)
        metrics.published(inserted.count)
        try Outbox.deletePublished(ids: inserted.map(\.id), in: db)
        return inserted.count
    }
}
