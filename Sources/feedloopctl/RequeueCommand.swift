import AMQP
import ArgumentParser
import FeedloopCore
import Foundation
import Postgres

/// `feedloopctl requeue`: republishes what stuck tickets wait for.
struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Republish the events stuck tickets wait for, to the waiting worker's queue only.",
        discussion: """
            For each selected ticket the event its waiting step needs is rebuilt from the ticket's row: \
            feedback.received to feedloop.classifier for a `received` ticket, ticket.classified to \
            feedloop.escalator for an `open` ticket without SLA clocks, and ticket.classified to \
            feedloop.notifier for an `open` ticket without its acknowledgement. Each copy carries the \
            original's message id, so a worker that already handled it ignores it: running requeue \
            twice is harmless. The broker's confirms are awaited for the whole batch.

            --all-stuck selects what `feedloopctl stuck` lists (with its default ages, or --older-than); \
            --ticket selects tickets by id whatever their age (unless --older-than is given).

            Examples:
              feedloopctl requeue --all-stuck --dry-run
              feedloopctl requeue --all-stuck --state received --older-than 600 --limit 500
              feedloopctl requeue --ticket 1042 --ticket 1043 --json
            """
    )

    @Option(name: .customLong("ticket"), help: ArgumentHelp("A ticket to requeue (repeatable).", valueName: "id"))
    var tickets: [Int64] = []

    @Flag(help: "Requeue every stuck ticket.")
    var allStuck = false

    @Option(help: ArgumentHelp("Only tickets in this state: received or open.", valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp("Only tickets in their state for at least this long (default 60 with --all-stuck, 0 with --ticket).", valueName: "seconds"))
    var olderThan: Double?

    @Option(help: "Requeue at most this many events.")
    var limit: Int?

    @Flag(help: "Show what would be republished without publishing.")
    var dryRun = false

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if tickets.isEmpty && !allStuck { throw ValidationError("choose tickets with --ticket ID (repeatable) or --all-stuck") }
        if let state, TicketState(rawValue: state).map(StuckTicketQuery.supportedStates.contains) != true {
            throw ValidationError("--state must be received or open, got \"\(state)\"")
        }
        if let olderThan, !(olderThan >= 0 && olderThan.isFinite) { throw ValidationError("--older-than must be a number of seconds, 0 or more") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if tickets.contains(where: { $0 < 1 }) { throw ValidationError("--ticket takes a positive ticket id") }
    }

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let age = olderThan ?? (tickets.isEmpty ? 60 : 0)
        let query = StuckTicketQuery(
            receivedAfter: age, openWithoutClocksAfter: age, unacknowledgedAfter: age,
            states: state.flatMap(TicketState.init(rawValue:)).map { [$0] }, ticketIds: tickets.isEmpty ? nil : tickets, limit: limit
        )
        let stuck = try query.run(on: db)
        let notes = tickets.isEmpty ? [] : try notesOnUnmatchedTickets(stuck, db: db)
        let requeuer = Requeuer(logger: session.logger, deliveryLimit: session.configuration.deliveryLimit, retryDelay: session.configuration.retryDelay)
        var items = try requeuer.plan(stuck, in: db)
        var publishError: Error?
        if !dryRun, items.contains(where: { $0.status == .planned }) {
            do {
                let broker = try session.openBroker()
                defer { broker.close() }
                let publisher = session.makePublisher()
                defer { publisher.close() }
                try requeuer.publish(&items, broker: broker, publisher: publisher)
            } catch {
                publishError = error
            }
        }
        report(items, notes: notes, publishFailed: publishError != nil)
        if let publishError {
            throw CtlError("publishing failed, nothing was confirmed (run requeue again; it is safe): \(publishError)")
        }
        if items.contains(where: { $0.status == .failed }) || notes.contains(where: \.isError) { throw ExitCode.failure }
    }

    /// Why a ticket given with --ticket was not selected: it does not exist, or waits for nothing.
    private func notesOnUnmatchedTickets(_ stuck: [StuckTicket], db: PostgresConnection) throws -> [Note] {
        let matched = Set(stuck.map(\.ticketId))
        let unmatched = tickets.filter { !matched.contains($0) }
        guard !unmatched.isEmpty else { return [] }
        var states: [Int64: String] = [:]
        for row in try db.query("SELECT id, state FROM tickets WHERE id = ANY($1::int8[])", [.intArray(unmatched)]) {
            states[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        return unmatched.map { id in
            if let state = states[id] {
                return Note(ticketId: id, message: "ticket \(id) (\(state)) waits for nothing requeue can republish", isError: false)
            }
            return Note(ticketId: id, message: "ticket \(id) does not exist", isError: true)
        }
    }

    private func report(_ items: [RequeueItem], notes: [Note], publishFailed: Bool) {
        if json {
            struct Output: Encodable {
                var dryRun: Bool
                var items: [RequeueItem]
                var notes: [String]
            }
            try? JSONOutput.print(Output(dryRun: dryRun, items: items, notes: notes.map(\.message)))
            return
        }
        for note in notes {
            if note.isError { StandardError.print("error: \(note.message)") } else { print(note.message) }
        }
        guard !items.isEmpty else {
            print("no stuck tickets matched; nothing to requeue")
            return
        }
        var table = TextTable(["Ticket", "State", "Age", "Waiting for", "Event", "Message id", "Result"], numericColumns: [0, 2])
        for item in items {
            let result: String
            switch item.status {
            case .planned: result = dryRun ? "would publish to \(item.queue)" : "not published"
            case .published: result = "published to \(item.queue)"
            case .failed: result = "failed: \(item.error ?? "")"
            }
            table.append([
                "\(item.ticketId)", item.state, AgeText.format(seconds: item.ageSeconds), item.waitingFor.summary, item.event,
                item.messageId ?? "-", result,
            ])
        }
        print(table.render())
        let published = items.filter { $0.status == .published }.count
        let failed = items.filter { $0.status == .failed }.count
        if publishFailed {
            print("\nnothing was republished")
        } else if dryRun {
            print("\ndry run: \(items.count - failed) event(s) would be republished; nothing was sent")
        } else {
            print("\nrepublished \(published) event(s), confirmed by the broker")
        }
        if failed > 0 { print("\(failed) ticket(s) could not be requeued (see above)") }
    }

    /// A remark about a ticket given with --ticket that was not requeued.
    struct Note {
        var ticketId: Int64
        var message: String
        var isError: Bool
    }
}
