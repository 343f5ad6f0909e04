import ArgumentParser
import AsyncHTTPClient
import FeedloopRuntime
import Foundation
import Postgres

/// A sustained run through every running stage: feedback offered at a fixed rate for a fixed
/// time, then, per second of the run, what each stage completed; intake-to-`open` latency; each
/// role queue's depth over time (a queue that keeps growing means its worker does not keep
/// up); and CPU seconds per item and resident memory of every process.
struct EndToEndBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Sustained end-to-end run: per-stage items/s, latency, queue depths, CPU per item and memory per process.",
        discussion: """
            Needs a running producer and workers on an empty database (`ops/bench e2e` sets that up), FEEDLOOP_DATABASE_URL for \
            reading results and FEEDLOOP_AMQP_URL for sampling queue depths. The benchmark creates an intake API key for itself \
            and revokes it at the end.

            Load is open loop: request k is due k × batch / rate seconds after the start, whatever earlier requests took, with at \
            most --concurrency requests in flight; "worst lag" says how far the sender fell behind that schedule (then the \
            offered rate was not really offered). --rate 0 sends as fast as the lanes go for --duration.

            Per-stage figures come from the rows the stages write (tickets.created_at and classified_at, inbox.processed_at per \
            consumer, notifications.sent_at), read once after the run. "steady" is the median and lowest per-second count \
            between the warm-up (--warmup seconds) and the last two seconds of the offered load; latency is over the tickets \
            taken in in that window. Process figures come from /proc: --pid-dir names the worker pid files of \
            ops/run-workers (<executable>-<n>.pid, replicas summed); PostgreSQL (every `postgres` process) and RabbitMQ \
            (`beam.smp`) are found by command name and include whatever else uses those servers.

            Examples:
              feedloop-bench e2e --producer-url http://127.0.0.1:8080 --rate 1000 --duration 60 --batch 1 --concurrency 64
              feedloop-bench e2e --rate 3000 --duration 300 --batch 100 --concurrency 8 --pid-dir .run/bench/pids --json \\
                --texts /work/shared/datasets/online_shopping_train.jsonl
            """
    )

    @Option(help: "The producer's base URL.") var producerURL = "http://127.0.0.1:8080"
    @Option(help: "Items per second offered (0: as fast as possible).") var rate = 1000
    @Option(help: "Seconds of offered load.") var duration = 60
    @Option(help: "Items per request: 1 posts to /v1/feedback, more to /v1/feedback:batch.") var batch = 1
    @Option(help: "HTTP requests in flight at most.") var concurrency = 64
    @Option(help: "Seconds at the start left out of the steady figures.") var warmup = 10
    @Option(help: "Seconds between queue and process samples.") var sampleInterval = 5
    @Option(help: "Seconds to wait, after the load, for every stage to finish.") var drainTimeout = 300
    @Option(help: "Directory of worker pid files (ops/run-workers' pids directory).") var pidDir: String?
    @Option(
        name: .customLong("texts"),
        help: "JSON-lines file whose `text` fields are the feedback texts (repeatable; default: generated phrases).")
    var textFiles: [String] = []
    @Option(help: "Raw broker msg/s measured in the same run, to print the pipeline's ratio to it.") var brokerPerS: Int?
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard rate >= 0 else { throw ValidationError("--rate must be 0 or more, got \(rate)") }
        guard duration > 0 else { throw ValidationError("--duration must be at least 1 second, got \(duration)") }
        guard (1...500).contains(batch) else { throw ValidationError("--batch must be 1 to 500 items, got \(batch)") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        guard warmup >= 0, warmup + 3 <= duration else { throw ValidationError("--warmup must leave at least 3 s of --duration, got \(warmup)") }
        guard sampleInterval > 0 else { throw ValidationError("--sample-interval must be at least 1 second, got \(sampleInterval)") }
    }

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let before = try db.query("SELECT count(*) FROM tickets")[0].decode(Int.self, at: 0)
        guard before == 0 else { throw ValidationError("the database already holds \(before) tickets; benchmark an empty one") }
        let (key, record) = try APIKeyStore.create(name: "feedloop-bench e2e", role: .intake, in: db)
        defer { _ = try? APIKeyStore.revoke(record.prefix, in: db) }

        var groups = try pidDir.map { try WatchedGroup.workers(pidDirectory: $0) } ?? []
        groups += [
            WatchedGroup(name: "postgres", command: "postgres"), WatchedGroup(name: "rabbitmq", command: "beam.smp"),
            WatchedGroup(name: "load generator", pids: [getpid()]),
        ]
        let texts = try PacedIntake.texts(files: textFiles)
        let queues = WorkerRole.allCases.map(\.queue)
        let startDate = Date()
        let started = ContinuousClock.now
        let sampler = RunSampler(
            groups: groups, queues: queues, amqpURL: configuration.amqpURL, interval: .seconds(sampleInterval), started: started)
        sampler.start()

        let intake = PacedIntake(
            producerURL: producerURL, authorization: "Bearer \(key.text)", rate: rate, duration: .seconds(duration), batch: batch,
            concurrency: concurrency, run: String(UUID().uuidString.prefix(8)), texts: texts)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let offered: PacedIntake.Outcome
        do {
            offered = try await intake.run(client: client)
        } catch {
            try? await client.shutdown()
            sampler.finish()
            throw error
        }
        try await client.shutdown()

        // Drain: every ticket open and every role queue empty twice in a row.
        let deadline = ContinuousClock.now + .seconds(drainTimeout)
        var quiet = 0
        while quiet < 2 {
            let open = try db.query("SELECT count(*) FROM tickets WHERE classified_at IS NOT NULL")[0].decode(Int.self, at: 0)
            let depths = sampler.takeNow().queues
            quiet = open >= offered.accepted && depths.values.allSatisfy { $0 == 0 } ? quiet + 1 : 0
            if ContinuousClock.now > deadline {
                sampler.finish()
                throw ValidationError("not drained \(drainTimeout) s after the load: \(open) of \(offered.accepted) tickets open, queues \(depths)")
            }
            try await Task.sleep(for: .seconds(1))
        }
        sampler.finish()

        let loadSeconds = Int(offered.elapsed.seconds.rounded(.down))
        let window = min(warmup, max(0, loadSeconds - 3))..<max(warmup + 1, loadSeconds - 2)
        let stages = try StageSeries.read(since: startDate, in: db)
        let latency = try OpenLatency.read(since: startDate, window: window, in: db)
        let clocks = try db.query("SELECT count(*) FROM sla_clocks")[0].decode(Int.self, at: 0)
        let notifications = try db.query("SELECT status, count(*) FROM notifications GROUP BY 1 ORDER BY 1").map {
            (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1))
        }
        let report = EndToEndReport(
            rate: rate, duration: duration, batch: batch, concurrency: concurrency, offered: offered, window: window, stages: stages,
            latency: latency, clocks: clocks, notifications: notifications, snapshots: sampler.snapshots, groups: groups.map(\.name),
            queues: queues, brokerPerS: brokerPerS)
        print(json ? report.json() : report.text())
    }
}
