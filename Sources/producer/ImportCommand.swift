import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// `feedloop-producer import FILE`: validates a whole file, then stores it in batches.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Imports feedback from a JSON-lines or CSV file.",
        discussion: """
            JSON lines: one object per line, with the fields of POST /v1/feedback. CSV: UTF-8 with RFC 4180 quoting and a header row naming the columns channel, external_id, text, customer_ref, customer_tier, received_at (channel and text are required; other columns are ignored). The format follows the extension (.jsonl, .ndjson, .json, .csv) unless --format is given.

            Every record is validated first. If any is invalid, each problem is printed to standard error as FILE:LINE: field: reason, nothing is stored and the exit code is 65 (EX_DATAERR); an unreadable file exits 66.

            Otherwise records are stored in batches, each batch with its feedback.received events in one transaction, and the events are published with confirms before the next batch. Items whose (channel, external_id) already exist count as duplicates, so re-running an interrupted import is safe for items that carry an external_id (items without one are never deduplicated). The server need not be running.

            Progress goes to standard error every few seconds; at the end standard output gets
              imported N, duplicates D, lines L
            where L counts the records read (blank lines and the CSV header excluded).

            \(FeedloopConfiguration.helpText)
            """
    )

    static let exitDataError: Int32 = 65
    /// EX_NOINPUT: the file is missing or unreadable.
    static let exitNoInput: Int32 = 66
    static let progressInterval: Duration = .seconds(5)

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "jsonl or csv; by default taken from the file's extension.")
    var format: ImportFormat?

    @Option(help: "Records per transaction (1...5000).")
    var batchSize: Int = 500

    func validate() throws {
        guard (1...5000).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 5000, got \(batchSize)")
        }
        if format == nil, ImportFormat(fileName: file) == nil {
            throw ValidationError("cannot tell the format of \(file) from its extension; pass --format jsonl or --format csv")
        }
    }

    func run() throws {
        let configuration = try FeedloopConfiguration()
        FeedloopLogging.bootstrap(level: configuration.logLevel)
        let logger = FeedloopLogging.logger("feedloop.producer.import")

        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            Self.printError("feedloop-producer: cannot read \(file): \((error as NSError).localizedDescription)")
            throw ExitCode(Self.exitNoInput)
        }
        let source = ImportSource(bytes: bytes, format: format ?? ImportFormat(fileName: file)!)

        // Pass 1: validate everything, store nothing, so a bad file is fixed and re-run whole.
        var invalidRecords = 0
        var records = 0
        let fileProblems = try source.forEachRecord { _, record in
            records += 1
            if case .invalid(let problems) = record {
                invalidRecords += 1
                for p in problems { Self.printError("\(file):\(p.line): \(p.error.field): \(p.error.reason)") }
            }
        }
        for p in fileProblems { Self.printError("\(file):\(p.line): \(p.error.field): \(p.error.reason)") }
        guard fileProblems.isEmpty else {
            Self.printError("\(file): the file cannot be read as \(source.format.rawValue); nothing imported")
            throw ExitCode(Self.exitDataError)
        }
        guard invalidRecords == 0 else {
            Self.printError("\(file): \(invalidRecords) of \(records) records invalid; nothing imported")
            throw ExitCode(Self.exitDataError)
        }

        // Pass 2: store and publish batch by batch.
        let db = try ProducerStartup.openDatabase(configuration, logger: logger)
        defer { db.close() }
        try ProducerStartup.declareTopology(configuration, logger: logger)
        let publisher = EventPublisher(
            url: configuration.amqpURL, heartbeat: configuration.heartbeat, name: "feedloop-producer-import", logger: logger
        )
        defer { publisher.close() }

        var progress = ImportProgress(total: records)
        var batch: [FeedbackSubmission] = []
        batch.reserveCapacity(batchSize)
        func flush() throws {
            guard !batch.isEmpty else { return }
            let created = try db.transaction { tx in try TicketStore.insert(batch, actorReason: "imported from a file", in: tx) }
            // Rows claimed with SKIP LOCKED: a running server's relay never publishes the same row.
            let limit = max(batch.count, OutboxRelay.batchLimit)
            while try Outbox.relay(db: db, publisher: publisher, limit: limit) == limit {}
            progress.add(read: batch.count, imported: created.count)
            batch.removeAll(keepingCapacity: true)
            if progress.due(every: Self.progressInterval) { Self.printError(progress.line) }
        }
        _ = try source.forEachRecord { _, record in
            guard case .valid(let submission) = record else { return }
            batch.append(submission)
            if batch.count == batchSize { try flush() }
        }
        try flush()
        logger.info(
            "import finished",
            metadata: ["imported": "\(progress.imported)", "duplicates": "\(progress.duplicates)", "rows_per_second": "\(progress.rate)"]
        )
        print("imported \(progress.imported), duplicates \(progress.duplicates), lines \(progress.read)")
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension ImportFormat: ExpressibleByArgument {}

/// Counts of a running import and when to report them.
struct ImportProgress {
    let total: Int
    let started = ContinuousClock.now
    private var lastReport = ContinuousClock.now
    private(set) var read = 0
    private(set) var imported = 0
    var duplicates: Int { read - imported }

    init(total: Int) {
        self.total = total
    }

    mutating func add(read: Int, imported: Int) {
        self.read += read
        self.imported += imported
    }

    mutating func due(every interval: Duration) -> Bool {
        guard ContinuousClock.now - lastReport >= interval else { return false }
        lastReport = ContinuousClock.now
        return true
    }

    /// Records stored or recognised per second since the start.
    var rate: Int {
        let seconds = (ContinuousClock.now - started).seconds
        return seconds > 0 ? Int(Double(read) / seconds) : 0
    }

    var line: String {
        "progress: \(read)/\(total) records, imported \(imported), duplicates \(duplicates), \(rate) records/s"
    }
}
