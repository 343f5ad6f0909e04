import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// `feedloop-producer import FILE`: streams a CSV or JSON-lines file into tickets through the
/// bulk path, batch by batch, each batch committed together with how far the file was read.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Imports feedback from a CSV or JSON-lines file, resumably.",
        discussion: """
            FORMATS. CSV: UTF-8, RFC 4180 quoting (a quoted field may span lines), a header row. JSON lines: one object per line; keys the mapping does not use are ignored. The format follows the extension (.csv; .jsonl, .ndjson, .json) unless --format is given. The file is read in 1 MiB chunks, so its size does not matter.

            FIELDS. channel, external_id, text, customer_ref, customer_tier, customer_name, customer_phone, customer_email, customer_locale, received_at. Each comes from the CSV column of its own name (case-insensitive) or, in JSON lines, the key of the HTTP API (customer_ref from customer.ref and so on), unless --map names another: --map text=内容 --map external_id=工单号 --map customer_ref=客户编号. A JSON mapping may be a dotted path (--map customer_ref=user.id). text is required; channel too unless --channel gives it for rows that have none. Rows are checked exactly as POST /v1/feedback checks them; contact fields need customer_ref and go to the customer record (created or updated by customer_ref).

            REJECTS. An invalid row does not stop the import: it is appended to the rejects file (--rejects, default FILE.rejects.jsonl, mode 0600, removed when empty) as {"line":N,"errors":[{"field":F,"reason":R}],"record":"original text"}, where line is the line the record starts on. --max-rejects N stops after the batch in which more than N rows were rejected (the import can be resumed).

            RESUMING. Every batch commits its tickets, their first transitions, their feedback.received events (outbox) and the byte offset reached in one transaction (table import_runs, keyed by a fingerprint: SHA-256 of the file's size, first MiB and last MiB; the path does not matter). Rerunning the same command after a crash or kill continues after the last committed batch; rerunning a finished import does nothing. --restart reads the file from the start again, and still stores nothing twice: rows with an external_id are deduplicated on (channel, external_id), rows without one get the idempotency key import:<fingerprint>:<line>. A resume with other --map/--channel/--format options is refused unless --restart is given.

            PUBLISHING. After each commit the import publishes the committed events itself with publisher confirms (rows claimed with SKIP LOCKED, so a running producer's relay never sends one twice). --no-publish leaves them in the outbox for the relay of a running `feedloop-producer serve`.

            PROGRESS. On a terminal, standard error shows a bar redrawn in place (bytes done of total, rows/s, ETA); otherwise a progress line every 5 s. At the end standard output gets
              imported N, duplicates D, rejected R, lines L, elapsed S s, X rows/s
            where rows/s counts records read by this run (stored, duplicate or rejected) per second, including publishing unless --no-publish.

            EXIT STATUS. 0: every row stored or already present. 65 (EX_DATAERR): some rows were rejected (see the rejects file), or the header or mapping does not fit the file (nothing stored). 66 (EX_NOINPUT): the file cannot be read. 64: usage error. 75 (EX_TEMPFAIL): another import of the same file is running. 1: a database or broker failure (rerun to resume).

            \(FeedloopConfiguration.helpText)
            """
    )

    /// Writer connections storing consecutive batches at once (ImportWriterThread).
    static let writers = 2
    static let exitDataError: Int32 = 65
    static let exitNoInput: Int32 = 66
    static let exitUsage: Int32 = 64
    static let exitLocked: Int32 = 75

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "jsonl or csv; by default taken from the file's extension.")
    var format: ImportFormat?

    @Option(name: .customLong("map"), help: ArgumentHelp("Read FIELD from COLUMN (a CSV column or a JSON key path); repeatable.", valueName: "field=column"))
    var mappings: [String] = []

    @Option(help: "The channel of rows that have none (hotline, chat, store, email, social, survey, return_visit, research).")
    var channel: Channel?

    @Option(help: "Where refused rows go; default FILE.rejects.jsonl.")
    var rejects: String?

    @Option(help: "Stop after more than this many rejected rows.")
    var maxRejects: Int?

    @Option(help: "Records per transaction (1...50000).")
    var batchSize: Int = 10_000

    @Flag(help: "Read the file from the start again (nothing is stored twice).")
    var restart = false

    @Flag(help: "Leave the events in the outbox for a running producer's relay instead of publishing them.")
    var noPublish = false

    @Option(help: .hidden)
    var readChunkBytes: Int = ImportSource.defaultChunkSize

    func validate() throws {
        guard (1...50_000).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 50000, got \(batchSize)")
        }
        if let maxRejects, maxRejects < 0 { throw ValidationError("--max-rejects must not be negative") }
        guard readChunkBytes >= 1 else { throw ValidationError("--read-chunk-bytes must be positive") }
        if format == nil, ImportFormat(fileName: file) == nil {
            throw ValidationError("cannot tell the format of \(file) from its extension; pass --format jsonl or --format csv")
        }
        do {
            _ = try ImportMapping(arguments: mappings)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let configuration = try FeedloopConfiguration()
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        let logger = FeedloopLogging.logger("feedloop.producer.import")
        let format = self.format ?? ImportFormat(fileName: file)!
        let mapping = try ImportMapping(arguments: mappings)

        let source: ImportSource
        let fingerprint: String
        let layout: ImportCSVLayout?
        do {
            source = try ImportSource(path: file, chunkSize: readChunkBytes)
            fingerprint = try source.fingerprint()
            layout = format == .csv ? try csvLayout(source, mapping: mapping) : nil
        } catch let error as ExitCode {
            throw error
        } catch {
            Self.printError("feedloop-producer: cannot read \(file): \(Self.describe(error))")
            throw ExitCode(Self.exitNoInput)
        }
        let options = "format=\(format.rawValue);channel=\(channel?.rawValue ?? "");map=\(mapping)"
        let rejectsPath = rejects ?? file + ".rejects.jsonl"

        let db = try ProducerStartup.openDatabase(configuration, logger: logger)
        defer { db.close() }
        guard try ImportRunStore.lock(fingerprint: fingerprint, in: db) else {
            Self.printError("feedloop-producer: another import of \(file) is running")
            throw ExitCode(Self.exitLocked)
        }
        var run: ImportRun
        if !restart, let existing = try ImportRunStore.find(fingerprint: fingerprint, in: db) {
            guard existing.options == options else {
                Self.printError("feedloop-producer: \(file) was imported with other options (\(existing.options)); use the same ones, or --restart")
                throw ExitCode(Self.exitUsage)
            }
            if existing.finishedAt != nil {
                Self.printError("\(file): already imported; nothing to do (--restart reads it again)")
                print(
                    Self.summary(
                        imported: existing.imported, duplicates: existing.duplicates, rejected: existing.rejected, lines: existing.line, elapsed: 0, rate: 0))
                if existing.rejected > 0 { throw ExitCode(Self.exitDataError) }
                return
            }
            run = existing
            if run.byteOffset > 0 { Self.printError("\(file): resuming at line \(run.line + 1) (byte \(run.byteOffset))") }
        } else {
            run = try ImportRunStore.begin(
                fingerprint: fingerprint, path: file, size: source.size, format: format, options: options, rejectsPath: rejectsPath, in: db
            )
        }

        let rejectsFile = try ImportRejectsFile(path: rejectsPath, length: run.rejectsBytes)
        defer {
            rejectsFile.close()
            if rejectsFile.length == 0 { try? FileManager.default.removeItem(atPath: rejectsPath) }
        }
        var openedPublisher: EventPublisher?
        if !noPublish {
            try ProducerStartup.declareTopology(configuration, logger: logger)
            openedPublisher = EventPublisher(url: configuration.amqpURL, heartbeat: configuration.heartbeat, name: "feedloop-producer-import", logger: logger)
        }
        let publisher = openedPublisher
        defer { publisher?.close() }

        let idConnection = try PostgresConnection(url: configuration.databaseURL, logger: logger)
        defer { idConnection.close() }
        let reader = ImportBatchReader(
            source: source,
            options: .init(format: format, mapping: mapping, defaultChannel: channel, batchSize: batchSize, keyPrefix: "import:\(fingerprint.prefix(32)):"),
            layout: layout, startOffset: run.byteOffset, startLine: run.line,
            allocateIds: { count in try BulkTicketWriter.allocateIds(count, on: idConnection) }
        )
        reader.start()
        defer { reader.cancel() }

        // `record` and `afterCommit` run in batch order, one at a time (ImportCommitOrder), so
        // `run` and `progress` change as if there were a single writer.
        let order = ImportCommitOrder()
        let state = ImportState(run: run, progress: ImportProgress(totalBytes: source.size, startOffset: run.byteOffset))
        let writers = try (0..<Self.writers).map { _ in
            try ImportWriterThread(
                url: configuration.databaseURL, logger: logger, order: order,
                record: { job, imported, tx in
                    var next = state.run
                    next.byteOffset = job.batch.endOffset
                    next.line = job.batch.endLine
                    next.imported += imported
                    next.duplicates += job.batch.rows.count - imported
                    next.rejected += job.batch.rejects.count
                    next.rejectsBytes = job.rejectsEnd
                    try ImportRunStore.advance(next, finished: false, in: tx)
                    return next
                },
                afterCommit: { job, next, imported, db in
                    state.run = next
                    if let publisher { try self.publish(imported: imported, db: db, publisher: publisher) }
                    state.progress.offset = next.byteOffset
                    state.progress.line = next.line
                    state.progress.records += job.batch.records
                    state.progress.imported = next.imported
                    state.progress.duplicates = next.duplicates
                    state.progress.rejected = next.rejected
                    state.progress.report()
                }
            )
        }
        var stopped = false
        var index = 0
        var rejectedRead = run.rejected
        do {
            while order.failure == nil, let batch = try reader.next() {
                try rejectsFile.write(batch.rejects)
                writers[index % writers.count].submit(ImportJob(index: index, batch: batch, rejectsEnd: rejectsFile.length))
                index += 1
                rejectedRead += batch.rejects.count
                if let maxRejects, rejectedRead > maxRejects {
                    stopped = true
                    break
                }
            }
        } catch {
            order.fail(error)
        }
        for writer in writers { writer.finish() }
        if let failure = order.failure { throw failure }
        run = state.run
        var progress = state.progress
        if !stopped { try db.transaction { tx in try ImportRunStore.advance(run, finished: true, in: tx) } }
        progress.report(force: true)
        progress.endLine()

        logger.info(
            "import \(stopped ? "stopped" : "finished")",
            metadata: [
                "imported": "\(run.imported)", "duplicates": "\(run.duplicates)", "rejected": "\(run.rejected)",
                "rows_per_second": "\(Int(progress.rate))",
            ]
        )
        print(
            Self.summary(
                imported: run.imported, duplicates: run.duplicates, rejected: run.rejected, lines: run.line, elapsed: progress.elapsed, rate: progress.rate))
        if run.rejected > 0 {
            Self.printError("\(file): \(run.rejected) rows rejected; see \(rejectsPath)")
        }
        if stopped {
            Self.printError("\(file): stopped after more than \(maxRejects ?? 0) rejected rows; fix the file or rerun to continue")
        }
        if run.rejected > 0 { throw ExitCode(Self.exitDataError) }
    }

    /// Publishes what the batch committed, with confirms, before the next batch. A relay
    /// round takes at most `limit` rows; more rounds only when the outbox held others too.
    private func publish(imported: Int, db: PostgresConnection, publisher: EventPublisher) throws {
        guard imported > 0 else { return }
        let limit = max(imported, 500)
        while try Outbox.relay(db: db, publisher: publisher, limit: limit) == limit {}
    }

    /// The header's layout; a header that does not fit stops the import before anything is stored.
    private func csvLayout(_ source: ImportSource, mapping: ImportMapping) throws -> ImportCSVLayout {
        guard let header = try source.csvHeader() else {
            Self.printError("\(file):1: header: is missing: the file has no records")
            throw ExitCode(Self.exitDataError)
        }
        guard case .csv(let names) = header.content else {
            if case .malformed(let error) = header.content { Self.printError("\(file):\(header.line): header: \(error.reason)") }
            throw ExitCode(Self.exitDataError)
        }
        do {
            return try ImportCSVLayout(header: names, mapping: mapping, hasDefaultChannel: channel != nil)
        } catch {
            for problem in error.errors { Self.printError("\(file):\(header.line): \(problem.field): \(problem.reason)") }
            Self.printError("\(file): the header does not fit; nothing imported")
            throw ExitCode(Self.exitDataError)
        }
    }

    static func summary(imported: Int, duplicates: Int, rejected: Int, lines: Int, elapsed: Double, rate: Double) -> String {
        "imported \(imported), duplicates \(duplicates), rejected \(rejected), lines \(lines), elapsed \(String(format: "%.1f", elapsed)) s, \(Int(rate)) rows/s"
    }

    static func describe(_ error: Error) -> String {
        (error as? ImportSourceError)?.description ?? (error as NSError).localizedDescription
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension Channel: ExpressibleByArgument {}
