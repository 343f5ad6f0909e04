import Logging

/// The development channel: one log line per notification with its ids and kinds, never the
/// address or the text (they may be personal data).
final class LogTransport: NotificationTransport {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func deliver(_ rows: [PendingNotification]) -> [Int64: DeliveryOutcome] {
        var outcomes: [Int64: DeliveryOutcome] = [:]
        for row in rows {
            logger.info("notification delivered to log", metadata: row.logMetadata.mapValues { .string($0) })
            outcomes[row.id] = .delivered()
        }
        return outcomes
    }
}
