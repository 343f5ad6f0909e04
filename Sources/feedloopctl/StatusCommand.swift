import ArgumentParser
import FeedloopCore
import Foundation

/// `feedloopctl status`: queues, dead letters, tickets, stuck tickets, outbox, notifications and SLA at a glance.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show queues with rates, dead letters, tickets and stuck tickets per state, outbox, notifications and SLA breaches.",
        discussion: """
            Queues: every worker role's queue, its retry and its dead queue ("not declared" until \
            a worker of that role has started once). Columns:
              Ready        messages waiting for a consumer
              Consumers    connected consumers
              Ready Δ/s    change of Ready per second between two samples --interval apart
              Handled/s    (main queues) messages the role's workers handled per second in that \
            window, from their inbox rows (duplicates and failures not counted)
              In/s (est.)  (main queues) arrivals per second, estimated as Handled/s + Ready Δ/s
            Unacknowledged messages are not shown: AMQP reports only ready messages and consumers, \
            and the RabbitMQ management plugin is not assumed (ops/servers does not enable it).

            From the database: dead letters per role (.dead queue) and dead notifications, tickets \
            per state with how many of them are stuck (thresholds as in `feedloopctl stuck`, \
            FEEDLOOP_STUCK_* variables or the options below), outbox rows not yet published and \
            the oldest one's age, notifications per status, open SLA clocks past their due time, \
            and clocks breached and escalations fired since midnight UTC.

            --watch redraws every --interval seconds until Ctrl-C (with --json: one JSON document \
            per interval). Exits 1 when the broker or the database could not be read (what could \
            be read is still shown).

            Examples:
              feedloopctl status
              feedloopctl status --interval 0          # no rates, no wait
              feedloopctl status --watch --interval 5
              feedloopctl status --json | jq '.tickets_by_state'
            """
    )

    @Flag(help: "Redraw until Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("Seconds between the two queue samples for rates, and between redraws with --watch (0: no rates).", valueName: "seconds"))
    var interval: Double = 1

    @OptionGroup var thresholds: StuckThresholdOptions

    @Flag(help: "Print machine-readable JSON instead of tables.")
    var json = false

    func validate() throws {
        guard interval >= 0, interval <= 3600, interval.isFinite else { throw ValidationError("--interval must be between 0 and 3600 seconds") }
        if watch, interval < 0.5 { throw ValidationError("--watch needs an --interval of at least 0.5 seconds") }
    }

    func run() throws {
        let thresholds = try thresholds.resolve()
        let session = try CtlSession.start()
        guard watch else {
            let report = StatusReport.gather(session, thresholds: thresholds, interval: interval)
            try show(report, clear: false)
            if !report.errors.isEmpty { throw ExitCode.failure }
            return
        }
        var previous: StatusReport?
        while true {
            let report = StatusReport.gather(session, thresholds: thresholds, interval: previous == nil ? 0 : interval, previous: previous)
            try show(report, clear: true)
            previous = report
            Thread.sleep(forTimeInterval: interval)
        }
    }

    private func show(_ report: StatusReport, clear: Bool) throws {
        if json {
            try JSONOutput.print(report)
        } else {
            // Home and clear the screen, so a watch redraws in place.
            if clear { print("\u{1B}[H\u{1B}[2J", terminator: "") }
            if clear { print("feedloopctl status — \(FeedloopJSON.formatTimestamp(Date())) — every \(interval) s, Ctrl-C to stop\n") }
            print(report.text())
            for error in report.errors { StandardError.print("error: \(error)") }
        }
        // Standard output is a pipe under `watch`-like tools: show each frame whole.
        fflush(nil)
    }
}
