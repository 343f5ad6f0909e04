import ArgumentParser
import Foundation

/// `feedloopctl stuck`: lists tickets whose next step has not happened in time.
struct StuckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stuck",
        abstract: "List tickets that sit in a state longer than it should take.",
        discussion: """
            A ticket is stuck when it is `received` and older than --received-after (waiting for the \
            classifier), or `open` and older than --open-without-clocks-after without SLA clocks \
            (waiting for the escalator), or `open` and older than --unacknowledged-after without the \
            customer's acknowledgement notification (waiting for the notifier). Ages count from the \
            ticket's last state change. Republish what they wait for with `feedloopctl requeue`.

            Examples:
              feedloopctl stuck
              feedloopctl stuck --received-after 300 --limit 20
              feedloopctl stuck --json | jq -r '.[].ticket_id'
            """
    )

    @Option(help: ArgumentHelp("Seconds a ticket may stay `received`.", valueName: "seconds"))
    var receivedAfter: Double = 60

    @Option(help: ArgumentHelp("Seconds an `open` ticket may go without SLA clocks.", valueName: "seconds"))
    var openWithoutClocksAfter: Double = 60

    @Option(help: ArgumentHelp("Seconds an `open` ticket may go without its acknowledgement.", valueName: "seconds"))
    var unacknowledgedAfter: Double = 60

    @Option(help: "List at most this many.")
    var limit: Int?

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        for (name, value) in [
            ("--received-after", receivedAfter), ("--open-without-clocks-after", openWithoutClocksAfter), ("--unacknowledged-after", unacknowledgedAfter),
        ] {
            guard value >= 0, value.isFinite else { throw ValidationError("\(name) must be a number of seconds, 0 or more") }
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let query = StuckTicketQuery(
            receivedAfter: receivedAfter, openWithoutClocksAfter: openWithoutClocksAfter, unacknowledgedAfter: unacknowledgedAfter, limit: limit
        )
        let stuck = try query.run(on: db)
        if json {
            try JSONOutput.print(stuck)
        } else if stuck.isEmpty {
            print("no stuck tickets")
        } else {
            print(StuckTicketTable.render(stuck))
            print("\n\(stuck.count) stuck: republish with `feedloopctl requeue --all-stuck` (or --ticket ID)")
        }
    }
}

/// The human view of stuck tickets, shared by `stuck` and `requeue`.
enum StuckTicketTable {
    static func render(_ stuck: [StuckTicket]) -> String {
        var table = TextTable(["Ticket", "State", "Age", "Waiting for"], numericColumns: [0, 2])
        for t in stuck { table.append(["\(t.ticketId)", t.state, AgeText.format(seconds: t.ageSeconds), t.waitingFor.summary]) }
        return table.render()
    }
}
