import ArgumentParser

/// `feedloopctl dlq list`: what is dead, where, why and since when.
struct DlqListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List dead letters per role queue with type, ticket, age, attempts and reason.",
        discussion: """
            Every message read is returned to its dead queue unchanged. Columns: Queue (the role's \
            dead queue), Message id, Type (event type), Ticket, Age (since it failed), Attempts \
            (worker attempts, header x-feedloop-attempt), Reason (x-feedloop-error, or the broker's \
            x-death reason).

            Examples:
              feedloopctl dlq list
              feedloopctl dlq list --queue notifier --older-than 3600
              feedloopctl dlq list --reason timeout --json | jq '.dead_letters | length'
            """
    )

    @OptionGroup var filter: DeadLetterFilter

    @Option(help: "List at most this many.")
    var limit: Int?

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let session = try CtlSession.start()
        let broker = try session.openBroker()
        defer { broker.close() }
        let selection = try DeadLetterSelection(filter, broker: broker, limit: limit)
        try selection.release()
        if json {
            struct Output: Encodable {
                var queues: [DeadLetterSelection.QueueSummary]
                var deadLetters: [DeadLetter]
            }
            try JSONOutput.print(Output(queues: selection.summaries, deadLetters: selection.matches.map(\.letter)))
            return
        }
        var queues = TextTable(["Dead queue", "Messages", "Matched"], numericColumns: [1, 2])
        for s in selection.summaries { queues.append([s.queue, "\(s.messages)", "\(s.matched)"]) }
        print(queues.render())
        if !selection.matches.isEmpty {
            print("")
            print(DeadLetterTable.render(selection.matches.map(\.letter)))
        }
        if let note = selection.unreadNote { print("\n\(note)") }
    }
}

/// The human view of dead letters, shared by the `dlq` subcommands.
enum DeadLetterTable {
    static func render(_ letters: [DeadLetter], result: ((Int) -> String)? = nil) -> String {
        var headers = ["Queue", "Message id", "Type", "Ticket", "Age", "Attempts", "Reason"]
        if result != nil { headers.append("Result") }
        var table = TextTable(headers, numericColumns: [3, 4, 5])
        for (i, l) in letters.enumerated() {
            var row = [
                l.deadQueue, l.messageId ?? "-", l.type ?? "-", l.ticketId.map(String.init) ?? "-", l.ageSeconds.map { AgeText.format(seconds: $0) } ?? "-",
                l.attempts.map(String.init) ?? "-", shorten(l.reason),
            ]
            if let result { row.append(result(i)) }
            table.append(row)
        }
        return table.render()
    }

    static func shorten(_ text: String, to length: Int = 60) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= length ? line : String(line.prefix(length - 1)) + "…"
    }
}
