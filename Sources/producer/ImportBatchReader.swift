import FeedloopCore
import Foundation

/// Reads, parses and validates the file into batches on a thread of its own, a couple of
/// batches ahead of the writer, so that parsing overlaps the database work (the machine has
/// few cores and the bulk path is CPU-bound on both sides).
final class ImportBatchReader: @unchecked Sendable {
    /// Batches parsed ahead of the writer.
    static let lookahead = 2

    struct Options {
        var format: ImportFormat
        var mapping: ImportMapping
        var defaultChannel: Channel?
        var batchSize: Int
        /// Prefix of idempotency keys: `import:<fingerprint>:`.
        var keyPrefix: String
    }

    private let source: ImportSource
    private let options: Options
    private let layout: ImportCSVLayout?
    private let startOffset: Int64
    private let startLine: Int
    /// Draws ticket ids for a batch, on a connection of the reader's own.
    private let allocateIds: (Int) throws -> [Int64]

    private let condition = NSCondition()
    private var queue: [ImportBatch] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false

    init(
        source: ImportSource, options: Options, layout: ImportCSVLayout?, startOffset: Int64, startLine: Int,
        allocateIds: @escaping (Int) throws -> [Int64]
    ) {
        self.allocateIds = allocateIds
        self.source = source
        self.options = options
        self.layout = layout
        self.startOffset = startOffset
        self.startLine = startLine
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "import-reader"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// The next batch, waiting for it; nil at the end of the file. Rethrows a read error.
    func next() throws -> ImportBatch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if let failure { throw failure }
        guard !queue.isEmpty else { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Stops the thread after its current chunk.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        var reader = ImportRecordReader(format: options.format, offset: startOffset, line: startLine)
        var batch = ImportBatch()
        batch.rows.reserveCapacity(options.batchSize)
        let skipHeader = options.format == .csv && startOffset == 0
        var headerSkipped = !skipHeader
        func handle(_ record: ImportRawRecord) -> Bool {
            if !headerSkipped {
                headerSkipped = true
                return true
            }
            add(record, to: &batch)
            if batch.records >= options.batchSize {
                var full = batch
                do {
                    try prepare(&full)
                } catch {
                    failure = error
                    return false
                }
                batch = ImportBatch()
                batch.rows.reserveCapacity(options.batchSize)
                return enqueue(full)
            }
            return true
        }
        do {
            var going = true
            try source.read(from: startOffset) { chunk in
                reader.feed(chunk) { record in if going { going = handle(record) } }
                return going
            }
            if going {
                reader.finish { record in if going { going = handle(record) } }
                // The last batch also carries the offset of trailing blank lines: the run ends at the file's end.
                batch.endOffset = reader.offset
                batch.endLine = reader.line
                try prepare(&batch)
                _ = enqueue(batch)
            }
            finish(failure)
        } catch {
            finish(error)
        }
    }

    private func add(_ record: ImportRawRecord, to batch: inout ImportBatch) {
        batch.endOffset = record.endOffset
        batch.endLine = record.endLine
        let values: ImportValues
        do {
            switch record.content {
            case .malformed(let error):
                batch.rejects.append(ImportReject(line: record.line, errors: [error], raw: record.raw))
                return
            case .csv(let fields):
                values = try layout!.values(fields)
            case .json(let bytes):
                values = try ImportJSONRecord.values(bytes, mapping: options.mapping)
            }
            let submission = try ImportRowValidator.validate(values, defaultChannel: options.defaultChannel)
            let key = submission.externalId == nil ? options.keyPrefix + String(record.line) : nil
            batch.rows.append(ImportRow(line: record.line, submission: submission, idempotencyKey: key))
        } catch {
            batch.rejects.append(ImportReject(line: record.line, errors: error.errors, raw: record.raw))
        }
    }

    /// Draws the batch's ticket ids and builds its staging rows.
    private func prepare(_ batch: inout ImportBatch) throws {
        guard !batch.rows.isEmpty else { return }
        batch.staged = BulkTicketWriter.stage(batch.rows, ids: try allocateIds(batch.rows.count))
    }

    /// Waits for room; returns false when cancelled.
    private func enqueue(_ batch: ImportBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.lookahead && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    private func finish(_ error: Error?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
