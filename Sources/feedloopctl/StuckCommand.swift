import ArgumentParser
import Foundation

/// `feedloopctl stuck`: lists tickets whose next step has not happened in time.
struct StuckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stuck",
        abstract: "List tickets that sit in a state longer than it should take, with the step they wait for.",
        discussion: """
            A ticket is stuck when (threshold option, variable, default):
              received and not classified        --received-after            FEEDLOOP_STUCK_RECEIVED_S           60
              classified but no SLA clocks        --open-without-clocks-after FEEDLOOP_STUCK_WITHOUT_CLOCKS_S     60
              open, customer not acknowledged     --unacknowledged-after      FEEDLOOP_STUCK_UNACKNOWLEDGED_S     60
              resolved, no follow-up sent         --follow-up-after           FEEDLOOP_STUCK_FOLLOW_UP_S         300
              escalation due but not fired        --escalation-late-after     FEEDLOOP_STUCK_ESCALATION_LATE_S    60
              notification past its next attempt  --notification-late-after   FEEDLOOP_STUCK_NOTIFICATION_LATE_S 300
            "Classified" covers open, acknowledged, in_progress and waiting_customer. The follow-up \
            is the customer's notification for the latest resolve action (it carries the rating \
            link). Age counts from the ticket's last state change, except for a late escalation \
            (from the clock's next_fire_at) and a late notification (from its next_attempt_at).

            Republish what they wait for with `feedloopctl requeue` (a late escalation needs a \
            running escalator: it scans the database, no message can move it).

            Exit codes: 0 listed (also when nothing is stuck), 1 failure, 64 wrong usage.

            Examples:
              feedloopctl stuck
              feedloopctl stuck --received-after 300 --limit 20
              feedloopctl stuck --step follow_up --step notification_delivery
              FEEDLOOP_STUCK_FOLLOW_UP_S=3600 feedloopctl stuck --json | jq -r '.[].ticket_id'
            """
    )

    @OptionGroup var thresholds: StuckThresholdOptions

    @Option(
        name: .customLong("step"),
        help: ArgumentHelp("Only this waiting step (repeatable): \(WaitingStep.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "step"))
    var steps: [String] = []

    @Option(help: "List at most this many.")
    var limit: Int?

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        for step in steps where WaitingStep(rawValue: step) == nil {
            throw ValidationError("--step must be one of \(WaitingStep.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(step)\"")
        }
    }

    func run() throws {
        let query = StuckTicketQuery(
            thresholds: try thresholds.resolve(), steps: steps.isEmpty ? nil : Set(steps.compactMap(WaitingStep.init(rawValue:))), limit: limit)
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
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
