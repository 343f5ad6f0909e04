import ArgumentParser

/// `feedloopctl status`: queues, tickets, outbox, notifications and overdue clocks at a glance.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show queues, tickets per state, outbox backlog, notifications and overdue SLA clocks.",
        discussion: """
            For every worker role's queue, its retry and its dead queue: ready messages and consumers \
            ("not declared" until a worker of that role has started once). From the database: tickets \
            per state, outbox rows not yet published and the oldest one's age, notifications per \
            status, and open SLA clocks already past their due time.

            Exits 1 when the broker or the database could not be read (what could be read is still shown).

            Examples:
              feedloopctl status
              feedloopctl status --json | jq '.tickets_by_state'
            """
    )

    @Flag(help: "Print machine-readable JSON instead of tables.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let report = StatusReport.gather(session)
        if json {
            try JSONOutput.print(report)
        } else {
            print(report.text())
            for error in report.errors { StandardError.print("error: \(error)") }
        }
        if !report.errors.isEmpty { throw ExitCode.failure }
    }
}
