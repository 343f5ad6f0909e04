import ArgumentParser

@main
struct FeedloopCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloopctl",
        abstract: "Administers a Feedloop installation: schema, health, stuck tickets, dead letters, tickets, keys, models, reports.",
        discussion: """
            Every command reads FEEDLOOP_DATABASE_URL and FEEDLOOP_AMQP_URL (and the other \
            FEEDLOOP_* variables the workers read). Every read command takes --json; full \
            reference with examples: docs/FEEDLOOPCTL.md.

            Exit codes (scripts may rely on them):
              0   done (also when a list is empty)
              1   failure: database or broker unreachable, publish not confirmed (the reason is printed)
              2   refused: the ticket lifecycle forbids the action, or a purge was not confirmed
              3   not found: no such ticket, no dead letter with that message id
              64  wrong usage (bad option or value)

            Examples:
              feedloopctl migrate
              feedloopctl status --json
              feedloopctl status --watch --interval 5
              feedloopctl stuck
              feedloopctl requeue --all-stuck --dry-run
              feedloopctl dlq list --queue classifier
              feedloopctl dlq replay --message-id feedback.received/1042
              feedloopctl ticket show 42
              feedloopctl ticket respond 42 --note "We are on it"
            """,
        subcommands: [
            MigrateCommand.self, StatusCommand.self, StuckCommand.self, RequeueCommand.self, DlqCommand.self, KeysCommand.self, ModelCommand.self,
            TicketCommand.self, NotificationsCommand.self, ReportCommand.self,
        ]
    )
}
