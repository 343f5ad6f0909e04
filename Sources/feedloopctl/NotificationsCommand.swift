import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation
import Postgres

/// `feedloopctl notifications`: what the notifier could not deliver, and sending it again.
struct NotificationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "List dead notifications, show one with its attempts, and replay them.",
        discussion: """
            A notification is dead when its recipient refused it for good (HTTP 4xx, SMTP 5xx, no \
            address) or it failed transiently on every attempt (FEEDLOOP_NOTIFY_MAX_ATTEMPTS). Every \
            attempt is kept with its time, channel, outcome and response code. Replay makes dead rows \
            pending again with a fresh round of attempts and wakes the notifier through \
            feedloop.notifier.deliver. Addresses are shown masked; texts only with --body.

            Examples:
              feedloopctl notifications dead
              feedloopctl notifications show 42
              feedloopctl notifications attempts 42 --json
              feedloopctl notifications replay 42 43
              feedloopctl notifications replay --all
            """,
        subcommands: [
            NotificationsDeadCommand.self, NotificationsShowCommand.self, NotificationsAttemptsCommand.self, NotificationsReplayCommand.self,
        ]
    )
}

/// `feedloopctl notifications dead`
struct NotificationsDeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dead", abstract: "List dead notifications, newest first.")

    @Option(help: "List at most this many.")
    var limit = 100

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let rows = try NotificationRecord.dead(limit: limit, in: db)
        if json {
            try JSONOutput.print(rows)
        } else if rows.isEmpty {
            print("no dead notifications")
        } else {
            var table = TextTable(["ID", "DEAD FOR", "CHANNEL", "AUDIENCE", "EVENT", "TICKET", "ATTEMPTS", "REASON"], numericColumns: [0, 5, 6])
            for r in rows {
                table.append([
                    String(r.id), AgeText.format(seconds: r.deadForSeconds ?? 0), r.channel, r.audience, r.eventType, r.ticketId.map(String.init) ?? "-",
                    String(r.attempts), NotificationRecord.shorten(r.deadReason ?? "-", to: 70),
                ])
            }
            print(table.render())
            print("\n\(rows.count) dead: send again with `feedloopctl notifications replay ID…` or `--all`")
        }
    }
}

/// `feedloopctl notifications show ID`
struct NotificationsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one notification and its attempts.")

    @Argument(help: "The notification's id.")
    var id: Int64

    @Flag(help: "Also print the subject and plain-text body (they may hold personal data).")
    var body = false

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        guard var record = try NotificationRecord.find(id, in: db) else { throw CtlError("no notification \(id)") }
        if !body {
            record.subject = nil
            record.body = nil
        }
        let attempts = try NotificationAttemptRecord.all(of: id, in: db)
        if json {
            try JSONOutput.print(NotificationDetail(notification: record, attempts: attempts))
            return
        }
        let fields: [(String, String?)] = [
            ("id", String(record.id)), ("status", record.status), ("channel", record.channel), ("audience", record.audience),
            ("event", record.eventType), ("ticket", record.ticketId.map(String.init)), ("recipient", record.recipient),
            ("address", record.maskedAddress), ("locale", record.locale), ("attempts", String(record.attempts)),
            ("created", record.createdAt.map(FeedloopJSON.formatTimestamp)), ("next attempt", record.nextAttemptAt.map(FeedloopJSON.formatTimestamp)),
            ("held", record.heldReason), ("sent", record.sentAt.map(FeedloopJSON.formatTimestamp)), ("dead reason", record.deadReason),
            ("subject", record.subject), ("body", record.body),
        ]
        for (name, value) in fields {
            if let value { print("\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value)") }
        }
        print("")
        print(attempts.isEmpty ? "no attempts yet" : NotificationAttemptRecord.table(attempts))
    }
}

/// `feedloopctl notifications attempts ID`
struct NotificationsAttemptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attempts", abstract: "List every delivery attempt of one notification.")

    @Argument(help: "The notification's id.")
    var id: Int64

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        guard try NotificationRecord.find(id, in: db) != nil else { throw CtlError("no notification \(id)") }
        let attempts = try NotificationAttemptRecord.all(of: id, in: db)
        if json {
            try JSONOutput.print(attempts)
        } else {
            print(attempts.isEmpty ? "no attempts yet" : NotificationAttemptRecord.table(attempts))
        }
    }
}

/// `feedloopctl notifications replay`
struct NotificationsReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Make dead notifications pending again and wake the notifier.",
        discussion: "Only dead rows are replayed; ids of rows that are pending or sent are reported and left alone."
    )

    @Argument(help: "Ids of dead notifications.")
    var ids: [Int64] = []

    @Flag(help: "Replay every dead notification.")
    var all = false

    @Flag(help: "Only say what would be replayed.")
    var dryRun = false

    func validate() throws {
        if all == !ids.isEmpty { throw ValidationError("give notification ids or --all (not both)") }
    }

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let filter = all ? "status = 'dead'" : "status = 'dead' AND id = ANY($1::int8[])"
        let parameters: [PostgresBind] = all ? [] : [.intArray(ids)]
        if dryRun {
            let found = try db.query("SELECT id FROM notifications WHERE \(filter) ORDER BY id", parameters).map { try $0.decode(Int64.self, at: 0) }
            print(
                "would replay \(found.count) notification\(found.count == 1 ? "" : "s")\(found.isEmpty ? "" : ": " + found.map(String.init).joined(separator: " "))"
            )
            return
        }
        // A fresh round: attempts count from 0 again, the earlier ones stay in notification_attempts.
        let replayed = try db.query(
            """
            UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_reason = NULL, dead_at = NULL, held_reason = NULL
            WHERE \(filter) RETURNING id
            """,
            parameters
        ).map { try $0.decode(Int64.self, at: 0) }.sorted()
        let skipped = Set(ids).subtracting(replayed).sorted()
        if !skipped.isEmpty {
            StandardError.print("not dead (left alone): \(skipped.map(String.init).joined(separator: " "))")
        }
        guard !replayed.isEmpty else {
            print("replayed 0 notifications")
            return
        }
        do {
            let broker = try session.openBroker()
            try DeliveryTopology.declare(on: broker, retryDelays: [])
            broker.close()
            let publisher = session.makePublisher()
            defer { publisher.close() }
            // Chunks keep each wake small.
            let wakes = try stride(from: 0, to: replayed.count, by: 1000).map { start in
                try NotificationWake(ids: Array(replayed[start..<min(start + 1000, replayed.count)]), dueAt: Date()).message(to: DeliveryTopology.deliverQueue)
            }
            try publisher.publish(wakes)
        } catch {
            StandardError.print("the rows are pending, but the notifier could not be woken (\(error)); its sweep will find them")
        }
        print("replayed \(replayed.count) notification\(replayed.count == 1 ? "" : "s")")
    }
}
