import ArgumentParser
import FeedloopRuntime
import Foundation

/// The options every `dlq` subcommand selects dead letters with; all given ones must match.
struct DeadLetterFilter: ParsableArguments {
    @Option(
        name: .customLong("queue"),
        help: ArgumentHelp("Only this role's dead queue: classifier, escalator, notifier, analytics (default: all).", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("Only dead letters that failed at least this many seconds ago.", valueName: "seconds"))
    var olderThan: Double?

    @Option(help: ArgumentHelp("Only dead letters whose reason contains this text (case-insensitive).", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("Only this event type, e.g. feedback.received.", valueName: "event"))
    var type: String?

    @Option(name: .customLong("message-id"), help: ArgumentHelp("Only this message id (repeatable).", valueName: "id"))
    var messageIds: [String] = []

    @Option(help: ArgumentHelp("Read at most this many messages per dead queue (the rest stay untouched).", valueName: "n"))
    var scanLimit: Int = 10_000

    func validate() throws {
        if let role, WorkerRole(rawValue: role) == nil {
            throw ValidationError("--queue must be one of \(WorkerRole.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(role)\"")
        }
        if let olderThan, !(olderThan >= 0 && olderThan.isFinite) { throw ValidationError("--older-than must be a number of seconds, 0 or more") }
        if let reason, reason.isEmpty { throw ValidationError("--reason must not be empty") }
        guard (1...65_535).contains(scanLimit) else { throw ValidationError("--scan-limit must be between 1 and 65535") }
    }

    var roles: [WorkerRole] { role.flatMap(WorkerRole.init(rawValue:)).map { [$0] } ?? WorkerRole.allCases }

    /// True when no option narrows the selection (a purge may then empty whole queues).
    var selectsEverything: Bool { olderThan == nil && reason == nil && type == nil && messageIds.isEmpty }

    func matches(_ letter: DeadLetter) -> Bool {
        if let olderThan, (letter.ageSeconds ?? 0) < olderThan { return false }
        if let reason, !letter.reason.localizedCaseInsensitiveContains(reason) { return false }
        if let type, letter.type != type { return false }
        if !messageIds.isEmpty, !messageIds.contains(letter.messageId ?? "") { return false }
        return true
    }
}
