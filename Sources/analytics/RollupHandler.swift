import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// Adds every event to the rollups (``RollupUpdater``) in the batch's transaction. The
/// consume loop's inbox has already dropped redelivered message ids, and every rollup change
/// is additive per event, so a redelivery changes nothing.
final class RollupHandler: MessageHandler {
    private let updater: RollupUpdater
    private var settled = false

    init(timeZone: TimeZone) {
        self.updater = RollupUpdater(timeZone: timeZone)
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        if !settled {
            // Once, after the migrations the worker may have run at start.
            try AnalyticsTimeZone.settle(updater.timeZone, in: db)
            settled = true
        }
        try updater.apply(messages, in: db)
        return []
    }
}
