import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// The order in which concurrent import writers may pass two points of a batch: the commit of
/// its customer upserts, and the commit of its tickets. Batch `i` starts only after batch `i - 1` has passed its
/// customer upserts, and commits only after batch `i - 1` has committed, so the byte offset in
/// `import_runs` always ends a prefix of committed batches (resume stays exact) and any lock a
/// batch waits for belongs to an earlier batch (no deadlock).
final class ImportCommitOrder: @unchecked Sendable {
    /// Thrown to a writer when another one failed; the first error is ``failure``.
    struct Aborted: Error {}

    private let condition = NSCondition()
    private var customersPassed = -1
    private var committed = -1
    private var firstError: Error?

    var failure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return firstError
    }

    func waitUntilCustomersPassed(_ index: Int) throws {
        try wait { $0.customersPassed >= index }
    }

    func waitUntilCommitted(_ index: Int) throws {
        try wait { $0.committed >= index }
    }

    func passedCustomers(_ index: Int) { update { $0.customersPassed = max($0.customersPassed, index) } }

    func didCommit(_ index: Int) { update { $0.committed = index } }

    /// Records the first failure and wakes every waiter, which then gives up its batch.
    func fail(_ error: Error) {
        update { if $0.firstError == nil, !(error is Aborted) { $0.firstError = error } }
    }

    private func wait(until done: (ImportCommitOrder) -> Bool) throws {
        condition.lock()
        defer { condition.unlock() }
        while !done(self) && firstError == nil { condition.wait() }
        if firstError != nil { throw Aborted() }
    }

    private func update(_ change: (ImportCommitOrder) -> Void) {
        condition.lock()
        change(self)
        condition.broadcast()
        condition.unlock()
    }
}

/// One batch handed to a writer, with the rejects file's length once its rejects were written.
struct ImportJob {
    var index: Int
    var batch: ImportBatch
    var rejectsEnd: Int64
}

/// A writer thread with its own connection: takes jobs one at a time and stores each in one
/// transaction, in the order ``ImportCommitOrder`` sets. Two of them keep two batches in the
/// database at once, which is what the bulk path needs to use both cores.
final class ImportWriterThread: @unchecked Sendable {
    /// Runs in commit order inside the batch's transaction, before the commit: records the
    /// offset reached. Returns what `afterCommit` needs.
    typealias Record = (_ job: ImportJob, _ imported: Int, _ tx: PostgresConnection) throws -> ImportRun
    /// Runs in commit order right after the commit (publishing, progress).
    typealias AfterCommit = (_ job: ImportJob, _ run: ImportRun, _ imported: Int, _ db: PostgresConnection) throws -> Void

    private let db: PostgresConnection
    private let writer: BulkTicketWriter
    private let order: ImportCommitOrder
    private let record: Record
    private let afterCommit: AfterCommit
    private let mailbox = NSCondition()
    private var pending: ImportJob?
    private var closed = false
    private let finished = DispatchSemaphore(value: 0)

    init(url: String, logger: Logger, order: ImportCommitOrder, record: @escaping Record, afterCommit: @escaping AfterCommit) throws {
        self.db = try PostgresConnection(url: url, logger: logger)
        self.writer = try BulkTicketWriter(db: db)
        self.order = order
        self.record = record
        self.afterCommit = afterCommit
        let thread = Thread { [self] in self.loop() }
        thread.name = "feedloop-import-writer"
        thread.start()
    }

    /// Hands over a job; waits while the previous one is still waiting to start.
    func submit(_ job: ImportJob) {
        mailbox.lock()
        while pending != nil { mailbox.wait() }
        pending = job
        mailbox.broadcast()
        mailbox.unlock()
    }

    /// Lets the thread finish its job, then waits for it to end and closes the connection.
    func finish() {
        mailbox.lock()
        closed = true
        mailbox.broadcast()
        mailbox.unlock()
        finished.wait()
        db.close()
    }

    private func loop() {
        defer { finished.signal() }
        while let job = take() {
            do {
                try store(job)
            } catch {
                order.fail(error)
            }
        }
    }

    private func take() -> ImportJob? {
        mailbox.lock()
        defer { mailbox.unlock() }
        while pending == nil && !closed { mailbox.wait() }
        guard let job = pending else { return nil }
        pending = nil
        mailbox.broadcast()
        return job
    }

    private func store(_ job: ImportJob) throws {
        try order.waitUntilCustomersPassed(job.index - 1)
        do {
            try db.transaction { tx in try writer.writeCustomers(job.batch.staged, in: tx) }
        } catch {
            // A later batch must not wait for this one's customers forever.
            order.passedCustomers(job.index)
            throw error
        }
        order.passedCustomers(job.index)
        var imported = 0
        let run = try db.transaction { tx in
            imported = try writer.writeTickets(in: tx)
            try order.waitUntilCommitted(job.index - 1)
            return try record(job, imported, tx)
        }
        try afterCommit(job, run, imported, db)
        order.didCommit(job.index)
    }
}

/// What the writers' ordered callbacks share: the run as committed so far and the progress
/// display. Only touched inside ``ImportCommitOrder``'s commit order, one writer at a time.
final class ImportState: @unchecked Sendable {
    var run: ImportRun
    var progress: ImportProgress

    init(run: ImportRun, progress: ImportProgress) {
        self.run = run
        self.progress = progress
    }
}
