import ArgumentParser

/// `feedloopctl dlq`: the dead-letter queues, read without losing anything.
struct DlqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show, replay or purge dead letters (feedloop.<role>.dead).",
        discussion: """
            A message lands in its role's dead queue when a worker finds it can never succeed or \
            has used its attempts (header x-feedloop-error holds the reason, x-feedloop-queue the \
            queue it failed in, x-feedloop-failed-at when), or when the broker dead-letters it \
            (x-death, e.g. delivery_limit). The dead notifications of the notifier's delivery half \
            are rows, not messages: see `feedloopctl notifications`.

            Reading never loses a message: the command takes the messages that are in the queue \
            with manual acknowledgement and returns every one it does not replay or purge (the \
            dead queues have no delivery limit, so being read does not count against them). At \
            most --scan-limit messages per queue are read; the others are left alone.

            Filters (all subcommands): --queue ROLE, --older-than SECONDS, --reason TEXT, \
            --type EVENT, --message-id ID.

            Exit codes: 0 done, 1 failure, 2 refused (purge without confirmation), 3 nothing \
            matched `dlq show`, 64 wrong usage.

            Examples:
              feedloopctl dlq list
              feedloopctl dlq list --queue classifier --reason "unknown channel" --json
              feedloopctl dlq show feedback.received/1042
              feedloopctl dlq replay --queue notifier --older-than 600 --dry-run
              feedloopctl dlq purge --queue analytics --type survey.answered --yes
            """,
        subcommands: [DlqListCommand.self, DlqShowCommand.self, DlqReplayCommand.self, DlqPurgeCommand.self]
    )
}
