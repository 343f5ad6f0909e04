import AMQP
import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// `feedloopctl dlq replay`: sends dead letters back to the queue they failed in.
struct DlqReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send dead letters back to their role's queue, once each.",
        discussion: """
            Each selected dead letter is published to its role's queue (feedloop.<role>) through \
            the default exchange — not to feedloop.events, so no other role gets a second copy — \
            with its original message id, type, body and headers, minus the failure headers \
            (x-feedloop-error, -attempt, -failed-at, -queue) and the broker's x-death bookkeeping, \
            so the worker gives it its full attempts again; x-feedloop-replayed-at records the \
            replay. The dead copy is acknowledged (removed) only after the broker confirmed the \
            new one: a crash in between leaves both, and the worker's message-id dedupe makes the \
            second harmless. Fix the cause first, or the message dies again.

            Exit codes: 0 replayed (or nothing matched), 1 failure (nothing is removed from the \
            dead queue when publishing fails), 64 wrong usage.

            Examples:
              feedloopctl dlq replay --queue classifier --dry-run
              feedloopctl dlq replay --message-id feedback.received/1042
              feedloopctl dlq replay --queue notifier --reason "connection refused" --limit 100 --json
            """
    )

    @OptionGroup var filter: DeadLetterFilter

    @Option(help: "Replay at most this many.")
    var limit: Int?

    @Flag(help: "Show what would be replayed; change nothing.")
    var dryRun = false

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// Headers that describe the failure, not the message.
    static let failureHeaders: Set<String> = [
        DeadLetter.reasonHeader, DeadLetter.attemptHeader, DeadLetter.failedAtHeader, DeadLetter.queueHeader, "x-delivery-count", "x-death",
        "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
        "x-last-death-reason",
    ]

    /// The message as it goes back: the role's queue, the original id and content.
    static func replayMessage(_ delivery: AMQPDelivery, to role: WorkerRole, at now: Date) -> OutgoingMessage {
        let p = delivery.properties
        var headers = p.headers.filter { !failureHeaders.contains($0.key) }
        headers["x-feedloop-replayed-at"] = .string(FeedloopJSON.formatTimestamp(now))
        return OutgoingMessage(
            messageId: p.messageId ?? UUID().uuidString.lowercased(), exchange: "", routingKey: role.queue, type: p.type ?? delivery.routingKey,
            ticketId: p.correlationId.flatMap { Int64($0) }, body: delivery.body, timestamp: p.timestamp ?? now, headers: headers
        )
    }

    func run() throws {
        let session = try CtlSession.start()
        let broker = try session.openBroker()
        defer { broker.close() }
        let selection = try DeadLetterSelection(filter, broker: broker, limit: limit)
        var published = false
        var failure: Error?
        if !dryRun, !selection.matches.isEmpty {
            do {
                let now = Date()
                let roles = Set(selection.matches.map(\.scan.role))
                for role in WorkerRole.allCases where roles.contains(role) {
                    // A message sent to a missing queue would be dropped silently; an existing
                    // one keeps the arguments its workers declared.
                    do {
                        _ = try broker.inspectQueue(role.queue)
                    } catch let error as AMQPError where error.code == .notFound {
                        try Topology.declare(
                            role, on: broker, deliveryLimit: session.configuration.deliveryLimit, retryDelay: session.configuration.retryDelay)
                    }
                }
                let publisher = session.makePublisher()
                defer { publisher.close() }
                try publisher.publish(selection.matches.map { Self.replayMessage($0.delivery, to: $0.scan.role, at: now) }, shouldStop: { true })
                published = true
                for match in selection.matches { try match.scan.ack(match.delivery) }
            } catch {
                failure = error
            }
        }
        try? selection.release()
        report(selection, published: published)
        if let failure {
            if published {
                throw CtlError("replayed and confirmed, but removing the dead copies failed (they stay; replaying them again is harmless): \(failure)")
            }
            throw CtlError("replay failed; every dead letter is still in its dead queue: \(failure)")
        }
    }

    private func report(_ selection: DeadLetterSelection, published: Bool) {
        let letters = selection.matches.map(\.letter)
        let result: (Int) -> String = { i in
            let queue = WorkerRole(rawValue: letters[i].role)?.queue ?? letters[i].originalQueue
            if dryRun { return "would replay to \(queue)" }
            return published ? "replayed to \(queue)" : "not replayed"
        }
        if json {
            struct Item: Encodable {
                var deadLetter: DeadLetter
                var result: String
            }
            struct Output: Encodable {
                var dryRun: Bool
                var queues: [DeadLetterSelection.QueueSummary]
                var items: [Item]
            }
            try? JSONOutput.print(
                Output(dryRun: dryRun, queues: selection.summaries, items: letters.indices.map { Item(deadLetter: letters[$0], result: result($0)) }))
            return
        }
        guard !letters.isEmpty else {
            print("no dead letters matched; nothing to replay")
            return
        }
        print(DeadLetterTable.render(letters, result: result))
        if dryRun {
            print("\ndry run: \(letters.count) dead letter(s) would be replayed; nothing was sent")
        } else if published {
            print("\nreplayed \(letters.count) dead letter(s), confirmed by the broker and removed from the dead queues")
        }
        if let note = selection.unreadNote { print(note) }
    }
}
