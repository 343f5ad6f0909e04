import ArgumentParser
import FeedloopCore
import Foundation

/// `feedloopctl ticket show ID`: one ticket's whole story.
struct TicketShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a ticket and its full timeline: state changes, actions, clocks, escalations, notifications, survey answers.",
        discussion: """
            The timeline is in time order: intake, classification, every state transition and \
            staff action (with actor and note), each SLA clock's start, warning, breach and stop, \
            every escalation step (to whom, why), every notification (event, audience, channel, \
            status, attempts; sent or dead) and the survey answers. Below it: the clocks (metric, \
            cycle, state, due, warned, breached), as they stand now. Customer name, phone and \
            email are masked, addresses are not shown, and emails and phone numbers inside the \
            feedback text, notes and comments are masked too.

            Exit codes: 0 shown, 1 failure, 3 no such ticket, 64 wrong usage.

            Examples:
              feedloopctl ticket show 42
              feedloopctl ticket show 42 --json | jq '.timeline[] | select(.kind == "escalation")'
            """
    )

    @Argument(help: "The ticket's id.")
    var ticketId: Int64

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        guard let timeline = try TicketTimeline.load(ticketId, from: db) else {
            StandardError.print("error: ticket \(ticketId) does not exist")
            throw ExitCode(3)
        }
        if json {
            try JSONOutput.print(timeline)
        } else {
            print(Self.text(timeline))
        }
    }

    static func text(_ t: TicketTimeline) -> String {
        let k = t.ticket
        func time(_ date: Date?) -> String { date.map(FeedloopJSON.formatTimestamp) ?? "-" }
        var lines = [
            "Ticket \(k.id): \(k.state) (since \(time(k.stateChangedAt)))",
            "Channel:      \(k.channel)\(k.externalId.map { " (external id \($0))" } ?? "")",
        ]
        if let c = k.customer {
            let parts = [c.name, c.phone, c.email, c.ref.map { "ref \($0)" }, c.tier.map { "tier \($0)" }].compactMap { $0 }
            lines.append("Customer:     \(parts.joined(separator: ", "))")
        }
        lines += [
            "Category:     \(k.category ?? "-")\(k.subcategory.map { "/\($0)" } ?? ""), sentiment \(k.sentiment ?? "-"), level \(k.level.map(String.init) ?? "-")",
            "Department:   \(k.department ?? "-"), assignee \(k.assignee ?? "-")",
            "Received:     \(time(k.receivedAt)), classified \(time(k.classifiedAt))",
            "Feedback:     \(DeadLetterTable.shorten(k.body, to: 200))",
            "",
        ]
        var timeline = TextTable(["Time", "Event", "Detail"])
        for e in t.timeline { timeline.append([time(e.at), e.kind, e.summary]) }
        lines.append(timeline.render())
        if !t.clocks.isEmpty {
            var clocks = TextTable(["Clock", "Cycle", "State", "Due", "Warned", "Breached", "Step"], numericColumns: [1, 6])
            for c in t.clocks {
                clocks.append([c.metric, "\(c.cycle)", c.state, time(c.dueAt), time(c.warnedAt), time(c.breachedAt), "\(c.escalationStep)"])
            }
            lines += ["", clocks.render()]
        }
        return lines.joined(separator: "\n")
    }
}
