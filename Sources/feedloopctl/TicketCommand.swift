import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// `feedloopctl ticket`: staff actions from the command line, for operators and scripts.
struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Show a ticket's timeline, or act on it as staff: respond, plan, wait-customer, customer-reply, resolve, reopen, close, assign.",
        discussion: """
            Each action goes through the same checks as the producer's POST /v1/tickets/{id}/<action>: the ticket lifecycle decides whether it is allowed (a refusal exits 2 with the reason and changes nothing), the action is recorded with its actor, and its event (ticket.responded, ticket.resolved …) is committed with it and published, so SLA clocks stop or pause and the customer is told.

            Exit codes: 0 applied, 1 failure (database or broker), 2 refused by the lifecycle, 3 no such ticket, 64 wrong usage.

            `feedloopctl ticket show ID` prints the ticket's whole timeline (see its --help).

            Examples:
              feedloopctl ticket show 42
              feedloopctl ticket respond 42 --note "We are looking into it"
              feedloopctl ticket plan 42 --note "Replace the unit within 3 days"
              feedloopctl ticket wait-customer 42
              feedloopctl ticket customer-reply 42
              feedloopctl ticket resolve 42 --note "Unit replaced"
              feedloopctl ticket assign 42 --assignee li.wei
              feedloopctl ticket close 42 --json
            """,
        subcommands: [
            TicketShowCommand.self, TicketActionCommand<RespondAction>.self, TicketActionCommand<PlanAction>.self, TicketActionCommand<WaitCustomerAction>.self,
            TicketActionCommand<CustomerReplyAction>.self, TicketActionCommand<ResolveAction>.self, TicketActionCommand<ReopenAction>.self,
            TicketActionCommand<CloseAction>.self, TicketActionCommand<AssignAction>.self,
        ]
    )
}

/// Names one ``TicketAction`` as a type, so one generic command serves every action.
protocol TicketActionKind {
    static var action: TicketAction { get }
    static var abstract: String { get }
}

enum RespondAction: TicketActionKind {
    static let action = TicketAction.respond
    static let abstract = "Record a reply the customer sees (meets the first-response clock); --note is required."
}
enum PlanAction: TicketActionKind {
    static let action = TicketAction.plan
    static let abstract = "Record a rectification plan (meets the plan clock); --note is required."
}
enum WaitCustomerAction: TicketActionKind {
    static let action = TicketAction.waitCustomer
    static let abstract = "Wait for the customer: the ticket's SLA clocks pause."
}
enum CustomerReplyAction: TicketActionKind {
    static let action = TicketAction.customerReply
    static let abstract = "The customer answered: the clocks run again."
}
enum ResolveAction: TicketActionKind {
    static let action = TicketAction.resolve
    static let abstract = "Resolve the ticket (meets the resolution clock; the customer is asked to rate it)."
}
enum ReopenAction: TicketActionKind {
    static let action = TicketAction.reopen
    static let abstract = "Reopen a resolved ticket: the resolution clock starts again."
}
enum CloseAction: TicketActionKind {
    static let action = TicketAction.close
    static let abstract = "Close a resolved ticket for good."
}
enum AssignAction: TicketActionKind {
    static let action = TicketAction.assign
    static let abstract = "Assign the ticket to a person; --assignee is required."
}

/// One action's subcommand: `feedloopctl ticket <action> ID`.
struct TicketActionCommand<Kind: TicketActionKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.action.pathComponent, abstract: Kind.abstract)
    }

    @Argument(help: "The ticket's id.")
    var ticketId: Int64

    @Option(help: "The reply or plan text (what the customer is shown), or a reason.")
    var note: String?

    @Option(help: "The person the ticket is assigned to.")
    var assignee: String?

    @Option(help: "Who acts, recorded with the action (default: feedloopctl:$USER).")
    var actor: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let user = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        let request = TicketActionRequest(
            ticketId: ticketId, action: Kind.action, actor: actor ?? "feedloopctl:\(user)", note: note, assignee: assignee)
        let result: TicketActionResult
        let inserted: [(id: Int64, message: OutgoingMessage)]
        do {
            (result, inserted) = try db.transaction { tx in
                let result = try TicketActionStore.apply(request, in: tx)
                // Published below; the producer's relay takes over if this command dies first.
                return (result, try Outbox.insert([result.message], relayAfter: Outbox.writerGrace, in: tx))
            }
        } catch let error as TicketActionError {
            switch error {
            case .invalid: throw ValidationError("\(error)")
            case .notFound:
                StandardError.print("error: \(error)")
                throw ExitCode(3)
            case .forbidden:
                StandardError.print("refused: \(error)")
                throw ExitCode(2)
            }
        }
        let publisher = session.makePublisher()
        do {
            try publisher.publish(inserted.map(\.message), shouldStop: { true })
            try Outbox.deletePublished(ids: inserted.map(\.id), in: db)
        } catch {
            StandardError.print("warning: the action is recorded, but its event was not published yet (\(error)); a running producer relays it")
        }
        let e = result.event
        if json {
            try JSONOutput.print(e)
        } else {
            print(
                "ticket \(e.ticketId): \(e.action.rawValue) applied (\(e.fromState.rawValue) → \(e.toState.rawValue)), action \(e.actionId), event \(e.eventType.rawValue)"
            )
        }
    }
}
