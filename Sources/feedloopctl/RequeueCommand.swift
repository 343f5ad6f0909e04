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
            For each selected ticket the message its waiting step needs is rebuilt from the database \
            and sent to that worker's queue only (never to feedloop.events, so other roles see nothing):
              classification   feedback.received  → feedloop.classifier
              sla_clocks       ticket.classified  → feedloop.escalator
              acknowledgement  ticket.classified  → feedloop.notifier
              follow_up        ticket.resolved    → feedloop.notifier (the latest resolve action)
              notification_delivery  notification.wake → feedloop.notifier.deliver (the late rows' ids)
              escalation       nothing: the escalator finds due clocks itself (shown as skipped)
            Each event carries the original's message id (the id is made from the ticket and action \
            ids), so a worker that already handled it ignores it: running requeue twice, or while \
            the workers run, is harmless. A wake only makes the notifier look at rows that are still \
            due. The broker's confirms are awaited for the whole batch; each line shows the ticket, \
            the event type and the message id it republished.

            --all-stuck selects what `feedloopctl stuck` lists (its thresholds from FEEDLOOP_STUCK_*, or \
            --older-than for every step); --ticket selects tickets by id whatever their age (unless \
            --older-than is given); --state and --step narrow either.

            Exit codes: 0 republished (or nothing to do), 1 failure (a ticket could not be rebuilt, \
            a --ticket does not exist, or the broker did not confirm), 64 wrong usage.

            Examples:
              feedloopctl requeue --all-stuck --dry-run
              feedloopctl requeue --all-stuck --state received --older-than 600 --limit 500
              feedloopctl requeue --all-stuck --step follow_up
              feedloopctl requeue --ticket 1042 --ticket 1043 --json
            """
    )

    @Option(name: .customLong("ticket"), help: ArgumentHelp("A ticket to requeue (repeatable).", valueName: "id"))
    var tickets: [Int64] = []

    @Flag(help: "Requeue every stuck ticket.")
    var allStuck = false

    @Option(help: ArgumentHelp("Only tickets in this state (received, open, acknowledged, in_progress, waiting_customer, resolved).", valueName: "state"))
    var state: String?

    @Option(name: .customLong("step"), help: ArgumentHelp("Only this waiting step (repeatable; see `feedloopctl stuck --help`).", valueName: "step"))
    var steps: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only tickets waiting at least this long, for every step (default: the stuck thresholds with --all-stuck, 0 with --ticket).",
            valueName: "seconds"))
    var olderThan: Double?

    @Option(help: "Requeue at most this many events.")
    var limit: Int?

    @Flag(help: "Show what would be republished without publishing.")
    var dryRun = false

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if tickets.isEmpty && !allStuck { throw ValidationError("choose tickets with --ticket ID (repeatable) or --all-stuck") }
        let states = Set(WaitingStep.allCases.flatMap(\.states))
        if let state, !states.contains(state) {
            throw ValidationError("--state must be one of \(states.sorted().joined(separator: ", ")), got \"\(state)\"")
        }
        for step in steps where WaitingStep(rawValue: step) == nil {
            throw ValidationError("--step must be one of \(WaitingStep.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(step)\"")
        }
        if let olderThan, !(olderThan >= 0 && olderThan.isFinite) { throw ValidationError("--older-than must be a number of seconds, 0 or more") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if tickets.contains(where: { $0 < 1 }) { throw ValidationError("--ticket takes a positive ticket id") }
    }

    func run() throws {
        let thresholds: StuckThresholds
        if let olderThan {
            thresholds = .uniform(olderThan)
        } else {
            thresholds = tickets.isEmpty ? try StuckThresholds.fromEnvironment() : .uniform(0)
        }
        let query = StuckTicketQuery(
            thresholds: thresholds, steps: steps.isEmpty ? nil : Set(steps.compactMap(WaitingStep.init(rawValue:))), states: state.map { [$0] },
            ticketIds: tickets.isEmpty ? nil : tickets, limit: limit
        )
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
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
            case .skipped: result = "skipped: \(item.error ?? "")"
            }
            table.append([
                "\(item.ticketId)", item.state, AgeText.format(seconds: item.ageSeconds), item.waitingFor.summary, item.event,
                item.messageId ?? "-", result,
            ])
        }
        print(table.render())
        let published = items.filter { $0.status == .published }.count
        let failed = items.filter { $0.status == .failed }.count
        let skipped = items.filter { $0.status == .skipped }.count
        if publishFailed {
            print("\nnothing was republished")
        } else if dryRun {
            print("\ndry run: \(items.count - failed - skipped) event(s) would be republished; nothing was sent")
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
