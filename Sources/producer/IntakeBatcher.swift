import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Group commit for HTTP intake: submissions that arrive while a transaction is in flight wait
/// and are then stored together in the next one (one multi-row insert, one commit, one fsync),
/// as the workers batch their messages (ARCHITECTURE §5). At most ``writers`` transactions run
/// at once; under light load each request still gets a transaction of its own at once.
final class IntakeBatcher: @unchecked Sendable {
    typealias Outcome = (receipt: SubmissionReceipt, duplicate: Bool)
    private typealias Waiter = (submission: FeedbackSubmission, continuation: CheckedContinuation<Outcome, Error>)

    let pool: DatabasePool
    let writers: Int
    let maxBatch: Int
    let logger: Logger
    private let lock = NSLock()
    private var waiting: [Waiter] = []
    private var activeWriters = 0

    init(pool: DatabasePool, writers: Int, maxBatch: Int = 500, logger: Logger) {
        self.pool = pool
        self.writers = writers
        self.maxBatch = maxBatch
        self.logger = logger
    }

    /// Stores the submission (or finds the ticket it resends) once its batch committed.
    func store(_ submission: FeedbackSubmission) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            waiting.append((submission, continuation))
            let startWriter = activeWriters < writers
            if startWriter { activeWriters += 1 }
            lock.unlock()
            if startWriter { Task { await self.write() } }
        }
    }

    /// Takes batches until nobody waits, then retires.
    private func write() async {
        while let batch = takeBatch() {
            do {
                let outcomes = try await pool.withConnection { db in try Self.store(batch.map(\.submission), in: db) }
                for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
            } catch let error as PostgresError where error.code == .connectionClosed || error.code == .connectionFailed {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            } catch {
                // One item must not fail the others: store each alone to find the one at fault.
                logger.notice("intake batch failed; storing its items one by one", metadata: ["error": "\(error)", "size": "\(batch.count)"])
                for waiter in batch {
                    do {
                        let outcome = try await pool.withConnection { db in try Self.store([waiter.submission], in: db) }
                        waiter.continuation.resume(returning: outcome[0])
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    private func takeBatch() -> [Waiter]? {
        lock.lock()
        defer { lock.unlock() }
        guard !waiting.isEmpty else {
            activeWriters -= 1
            return nil
        }
        let n = min(maxBatch, waiting.count)
        let batch = Array(waiting.prefix(n))
        waiting.removeFirst(n)
        return batch
    }

    /// One transaction: new tickets with their transitions and events, and the existing ticket
    /// of every item that resends one; outcomes in input order.
    static func store(_ submissions: [FeedbackSubmission], in db: PostgresConnection) throws -> [Outcome] {
        try db.transaction { tx in
            var outcomes = [Outcome?](repeating: nil, count: submissions.count)
            for created in try TicketStore.insert(submissions, actorReason: "received over HTTP", in: tx) {
                outcomes[created.index] = (SubmissionReceipt(ticketId: created.ticketId, state: TicketState.received.rawValue), false)
            }
            // Not inserted means the unique (channel, external_id) matched (an item without
            // external_id always inserts). ON CONFLICT waited for a concurrent insert to
            // commit, and this later statement sees it.
            let resent = outcomes.indices.filter { outcomes[$0] == nil }
            if !resent.isEmpty {
                let found = try TicketStore.existing(resent.map { (submissions[$0].channel, submissions[$0].externalId ?? "") }, in: tx)
                for i in resent {
                    guard let ticket = found[TicketStore.Key(channel: submissions[i].channel.rawValue, externalId: submissions[i].externalId ?? "")] else {
                        throw PostgresError(.serverError, message: "ticket neither inserted nor found")
                    }
                    outcomes[i] = (SubmissionReceipt(ticketId: ticket.id, state: ticket.state), true)
                }
            }
            return outcomes.map { $0! }
        }
    }
}
