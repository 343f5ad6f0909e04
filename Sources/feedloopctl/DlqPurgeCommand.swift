import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `feedloopctl dlq purge`: deletes dead letters for good, after confirmation.
struct DlqPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete the selected dead letters for good (asks to type yes unless --yes).",
        discussion: """
            Deletes only what the filters select (without filters: everything in the chosen dead \
            queues, up to --scan-limit per queue). On a terminal it lists the count and asks you to \
            type yes; when standard input is not a terminal it refuses (exit 2, nothing deleted) \
            unless --yes is given.

            Exit codes: 0 purged (or nothing matched), 1 failure, 2 refused or not confirmed, 64 wrong usage.

            Examples:
              feedloopctl dlq purge --queue analytics
              feedloopctl dlq purge --older-than 604800 --yes
              feedloopctl dlq purge --message-id feedback.received/1042 --yes --json
            """
    )

    @OptionGroup var filter: DeadLetterFilter

    @Option(help: "Delete at most this many.")
    var limit: Int?

    @Flag(help: "Do not ask for confirmation (required when standard input is not a terminal).")
    var yes = false

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
        let letters = selection.matches.map(\.letter)
        guard !letters.isEmpty else {
            try selection.release()
            if json { try JSONOutput.print(Output(purged: [], queues: selection.summaries)) } else { print("no dead letters matched; nothing to purge") }
            return
        }
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                try selection.release()
                StandardError.print("refused: purging \(letters.count) dead letter(s) needs --yes when standard input is not a terminal; nothing was deleted")
                throw ExitCode(2)
            }
            let queues = Set(letters.map(\.deadQueue)).sorted().joined(separator: ", ")
            StandardError.print("About to delete \(letters.count) dead letter(s) from \(queues) for good.")
            FileHandle.standardError.write(Data("Type yes to continue: ".utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                try selection.release()
                StandardError.print("not confirmed; nothing was deleted")
                throw ExitCode(2)
            }
        }
        var purged: [DeadLetter] = []
        var failure: Error?
        for match in selection.matches {
            do {
                try match.scan.ack(match.delivery)
                purged.append(match.letter)
            } catch {
                failure = error
                break
            }
        }
        try? selection.release()
        if json {
            try JSONOutput.print(Output(purged: purged, queues: selection.summaries))
        } else {
            print(DeadLetterTable.render(purged, result: { _ in "deleted" }))
            print("\npurged \(purged.count) dead letter(s)")
            if let note = selection.unreadNote { print(note) }
        }
        if let failure { throw CtlError("purge stopped after \(purged.count) of \(letters.count): \(failure)") }
    }

    struct Output: Encodable {
        var purged: [DeadLetter]
        var queues: [DeadLetterSelection.QueueSummary]
    }
}
