import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// How late escalations fire with many open clocks: loads open clocks, makes some fall due
/// during the run, runs real escalators and reads `escalated_at − due_at` from `escalations`.
struct SLABenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Escalation lateness (p50, p99, max) with many open SLA clocks.",
        discussion: """
            Inserts --clocks open level-1 tickets with running first-response clocks on the 24x7 calendar into FEEDLOOP_DATABASE_URL; --due of them fall due during the run, spread evenly over --spread seconds starting 5 s after the escalators start, the rest hours later. Runs --replicas feedloop-escalator processes (next to this executable, against FEEDLOOP_AMQP_URL, default scan interval) until every due clock escalated, then prints the lateness of each first-step escalation (escalated_at − due_at): p50, p99, max, and the count. Also prints the plan of the escalator's due-clock query.

            The database must be migrated and hold no tickets; between runs it is emptied (TRUNCATE … CASCADE). Use a scratch database and a scratch broker vhost.

            Example: FEEDLOOP_DATABASE_URL=postgres://…/scratch FEEDLOOP_AMQP_URL=amqp://…/scratch feedloop-bench sla --clocks 100000 --due 2000
            """
    )

    @Option(help: "Open clocks in the database.") var clocks = 100_000
    @Option(help: "How many of them fall due during the run.") var due = 2_000
    @Option(help: "Seconds over which the due clocks are spread.") var spread = 20
    @Option(help: "Escalator processes.") var replicas = 2

    func run() throws {
        guard due <= clocks, clocks > 0, spread > 0, replicas > 0 else { throw ValidationError("need 0 < --due <= --clocks, --spread > 0, --replicas > 0") }
        let configuration = try FeedloopConfiguration()
        let db = try PostgresConnection(url: configuration.databaseURL, logger: .init(label: "feedloop.bench"))
        defer { db.close() }
        let before = try db.query("SELECT count(*) FROM tickets")[0].decode(Int.self, at: 0)
        guard before == 0 else { throw ValidationError("the database already holds \(before) tickets; benchmark an empty scratch database") }
        let escalator = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("feedloop-escalator").path
        guard FileManager.default.isExecutableFile(atPath: escalator) else { throw ValidationError("\(escalator) is not built") }

        let hash = SLAConfiguration.builtIn.policyHash
        let loadStart = ContinuousClock.now
        // The first --due clocks fall due 5 s from now, spread evenly; the rest in 1-2 hours.
        try db.query(
            """
            INSERT INTO tickets (channel, external_id, body, state, level, department, received_at, classified_at)
            SELECT 'email', 'sla-bench-' || i, 'bench', 'open', 1, 'logistics',
                CASE WHEN i <= $2 THEN now() + make_interval(secs => 5 + $3::float8 * (i - 1) / greatest($2, 1)) - interval '2 hours'
                     ELSE now() + make_interval(secs => 3600 + i % 3600) - interval '2 hours' END,
                now()
            FROM generate_series(1, $1::int) AS i
            """,
            [.int(Int64(clocks)), .int(Int64(due)), .int(Int64(spread))])
        try db.query(
            """
            INSERT INTO sla_clocks (ticket_id, metric, cycle, started_at, target_seconds, due_at, state, department, calendar_id, level,
                used_seconds, running_since, changed_at, warned_at, next_fire_at, next_escalation_at, policy_hash)
            SELECT id, 'first_response', 1, received_at, 7200, received_at + interval '2 hours', 'running', department, '24x7', 1, 0,
                received_at, received_at, received_at, received_at + interval '2 hours', received_at + interval '2 hours', $1
            FROM tickets
            """,
            [.text(hash)])
        try db.query(
            "INSERT INTO sla_policy_changes (old_hash, new_hash, clocks_reevaluated, policies, changed_by) VALUES (NULL, $1, 0, $2, 'feedloop-bench')",
            [.text(hash), .text(SLAConfiguration.builtIn.fingerprint)])
        try db.execute(script: "ANALYZE tickets; ANALYZE sla_clocks")
        print("loaded \(clocks) open clocks (\(due) due over \(spread) s) in \(String(format: "%.1f", (ContinuousClock.now - loadStart).seconds)) s")

        let plan = try db.query(
            """
            EXPLAIN SELECT c.ticket_id, t.assignee FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
            WHERE c.next_fire_at <= now() ORDER BY c.next_fire_at LIMIT 500 FOR UPDATE OF c SKIP LOCKED
            """
        ).map { try $0.decode(String.self, at: 0) }
        print("due-clock query plan:\n  " + plan.joined(separator: "\n  "))

        var processes: [Process] = []
        for _ in 1...replicas {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: escalator)
            p.environment = ProcessInfo.processInfo.environment.merging(["FEEDLOOP_LOG_LEVEL": "warning"]) { _, new in new }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.standardError
            try p.run()
            processes.append(p)
        }
        defer {
            for p in processes where p.isRunning { p.terminate() }
            for p in processes { p.waitUntilExit() }
        }
        let deadline = Date().addingTimeInterval(Double(spread) + 60)
        var done = 0
        while Date() < deadline {
            done = try db.query("SELECT count(*) FROM escalations WHERE step = 1")[0].decode(Int.self, at: 0)
            if done >= due { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let rows = try db.query(
            """
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY l), percentile_cont(0.99) WITHIN GROUP (ORDER BY l), max(l)
            FROM (SELECT extract(epoch FROM escalated_at - due_at)::float8 AS l FROM escalations WHERE step = 1) s
            """)
        let count = try rows[0].decode(Int.self, at: 0)
        func ms(_ i: Int) throws -> String { String(format: "%.0f ms", (try rows[0].decode(Double?.self, at: i) ?? .nan) * 1000) }
        print(
            "escalations: \(count) of \(due) due; lateness p50 \(try ms(1)), p99 \(try ms(2)), max \(try ms(3)) with \(clocks) open clocks, \(replicas) escalators"
        )
        try db.execute(script: "TRUNCATE tickets, sla_clocks, escalations, outbox, sla_policy_changes CASCADE")
        guard count == due else { throw ValidationError("only \(count) of \(due) due clocks escalated") }
    }
}
