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
    private typealias Waiter = (item: IntakeItem, continuation: CheckedContinuation<Outcome, Error>)

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
    func store(_ item: IntakeItem) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            waiting.append((item, continuation))
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
                let outcomes = try await pool.withConnection { db in try Self.store(batch.map(\.item), in: db) }
                for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
            } catch let error as PostgresError where error.code == .connectionClosed || error.code == .connectionFailed {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            } catch {
                // One item must not fail the others: store each alone to find the one at fault.
                logger.notice("intake batch failed; storing its items one by one", metadata: ["error": "\(error)", "size": "\(batch.count)"])
                for waiter in batch {
                    do {
                        let outcome = try await pool.withConnection { db in try Self.store([waiter.item], in: db) }
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
    /// of every item that resends one; outcomes in input order. `POST /v1/feedback:batch`
    /// calls it directly, so that a batch is one transaction of its own.
    static func store(_ items: [IntakeItem], in db: PostgresConnection) throws -> [Outcome] {
        try db.transaction { tx in
            var outcomes = [Outcome?](repeating: nil, count: items.count)
            let submissions = items.map(\.submission)
            let keys = items.map(\.idempotencyKey)
            let created = try TicketStore.insert(
                submissions, idempotencyKeys: keys.contains { $0 != nil } ? keys : nil, actorReason: "received over HTTP", in: tx
            )
            for c in created {
                outcomes[c.index] = (SubmissionReceipt(ticketId: c.ticketId, state: TicketState.received.rawValue), false)
            }
            // Not inserted means a unique key matched: (channel, external_id), or (channel,
            // idempotency_key) for an item without external_id; an item with neither always
            // inserts. ON CONFLICT waited for a concurrent insert to commit, and these later
            // statements see it.
            let resent = outcomes.indices.filter { outcomes[$0] == nil }
            guard !resent.isEmpty else { return outcomes.map { $0! } }
            let byExternalId = resent.filter { items[$0].submission.externalId != nil }
            let byIdempotencyKey = resent.filter { items[$0].submission.externalId == nil && items[$0].idempotencyKey != nil }
            let foundByExternalId =
                byExternalId.isEmpty
                ? [:] : try TicketStore.existing(byExternalId.map { (submissions[$0].channel, submissions[$0].externalId!) }, in: tx)
            let foundByKey =
                byIdempotencyKey.isEmpty
                ? [:]
                : try TicketStore.existing(idempotencyKeys: byIdempotencyKey.map { (submissions[$0].channel, items[$0].idempotencyKey!) }, in: tx)
            for i in resent {
                let channel = submissions[i].channel.rawValue
                let ticket =
                    if let id = submissions[i].externalId {
                        foundByExternalId[TicketStore.Key(channel: channel, externalId: id)]
                    } else if let key = items[i].idempotencyKey {
                        foundByKey[TicketStore.Key(channel: channel, externalId: key)]
                    } else {
                        nil as (id: Int64, state: String)?
                    }
                guard let ticket else {
                    throw PostgresError(.serverError, message: "ticket neither inserted nor found")
                }
                outcomes[i] = (SubmissionReceipt(ticketId: ticket.id, state: ticket.state), true)
            }
            return outcomes.map { $0! }
        }
    }
}

/// A submission as the HTTP intake stores it: the item and the request's Idempotency-Key
/// (for a batch, the key with the item's index appended).
struct IntakeItem: Sendable {
    var submission: FeedbackSubmission
    var idempotencyKey: String?
}
