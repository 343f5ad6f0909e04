import AMQP
import ArgumentParser
import FeedloopRuntime
import Foundation
import Postgres

/// Generates a realistic import file and times `feedloop-producer import` on it.
struct ImportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Rows/s of `feedloop-producer import` (the COPY bulk path) on a generated file.",
        discussion: """
            Generates a CSV file of --rows rows (Chinese and English texts, quoted multi-line texts, a pool of customers with contact details, about 10% without external_id, about 1% invalid), then runs the feedloop-producer next to this executable --runs times against FEEDLOOP_DATABASE_URL and prints each run's rows/s and the median.

            The database must be migrated and hold no tickets: between runs the benchmark empties tickets, transitions, outbox, customers and import runs (TRUNCATE … CASCADE). Use a scratch database.

            By default the runs store only (--no-publish: the events stay in the outbox, as when a running producer's relay publishes them). --publish also publishes every event with confirms to FEEDLOOP_AMQP_URL inside the timed run, and purges the roles' queues afterwards; use a scratch broker.

            Example: FEEDLOOP_DATABASE_URL=postgres://…/scratch feedloop-bench import --rows 200000
            """
    )

    @Option(help: "Rows in the generated file.") var rows = 200_000
    @Option(help: "Timed runs; the median is reported.") var runs = 3
    @Option(help: "Records per transaction, passed to the import.") var batchSize = 10_000
    @Option(help: "csv or jsonl.") var format = "csv"
    @Flag(help: "Publish the events inside the timed run.") var publish = false
    @Option(help: "Write the file here and keep it (default: a temporary file, removed).") var file: String?

    func run() throws {
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let before = try db.query("SELECT count(*) FROM tickets")[0].decode(Int.self, at: 0)
        guard before == 0 else { throw ValidationError("the database already holds \(before) tickets; benchmark an empty scratch database") }

        let path = file ?? NSTemporaryDirectory() + "feedloop-import-bench-\(UUID().uuidString.prefix(8)).\(format)"
        let generated = try ImportFileGenerator(rows: rows, format: format).write(to: path)
        defer { if file == nil { try? FileManager.default.removeItem(atPath: path) } }
        print(
            "file: \(path), \(generated.rows) rows (\(generated.invalid) invalid, \(generated.withoutExternalId) without external_id), \(generated.bytes / 1_048_576) MiB"
        )

        let producer = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("feedloop-producer").path
        guard FileManager.default.isExecutableFile(atPath: producer) else { throw ValidationError("\(producer) is not built") }

        var rates: [Double] = []
        for run in 1...runs {
            try db.execute(script: "TRUNCATE tickets, ticket_transitions, outbox, customers, import_runs CASCADE")
            try? FileManager.default.removeItem(atPath: path + ".rejects.jsonl")
            var arguments = ["import", path, "--batch-size", String(batchSize)]
            if !publish { arguments.append("--no-publish") }
            let start = ContinuousClock.now
            let (status, output) = try Self.runProcess(producer, arguments)
            let seconds = (ContinuousClock.now - start).seconds
            // 65: some rows rejected, which the generated file has on purpose.
            guard status == 0 || status == 65 else { throw ValidationError("import exited with \(status): \(output)") }
            let stored = try db.query("SELECT count(*) FROM tickets")[0].decode(Int.self, at: 0)
            let events = try db.query("SELECT count(*) FROM outbox")[0].decode(Int.self, at: 0)
            let rate = Double(generated.rows) / seconds
            rates.append(rate)
            print(
                "run \(run): \(String(format: "%.2f", seconds)) s wall, \(Int(rate)) rows/s; tickets \(stored), outbox left \(events); import said: "
                    + output.split(separator: "\n").last.map(String.init)!
            )
            if publish { try purgeQueues(configuration) }
        }
        let median = rates.sorted()[rates.count / 2]
        print(
            "import (\(format), batch \(batchSize), \(publish ? "stored and published" : "stored, events left in the outbox")): median \(Int(median)) rows/s over \(runs) runs"
        )
        try db.execute(script: "TRUNCATE tickets, ticket_transitions, outbox, customers, import_runs CASCADE")
    }

    private func purgeQueues(_ configuration: FeedloopConfiguration) throws {
        let connection = try AMQPConnection.connect(
            url: configuration.amqpURL, heartbeat: 30, connectionName: "feedloop-bench-purge", logger: .init(label: "feedloop.bench")
        ) { true }
        defer { connection.close() }
        for role in WorkerRole.allCases { _ = try? connection.purgeQueue(role.queue) }
    }

    /// Runs to the end; returns the status and the standard output and error together.
    static func runProcess(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
