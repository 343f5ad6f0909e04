import ArgumentParser

@main
struct FeedloopCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloopctl",
        abstract: "Administers a Feedloop installation: schema, health, stuck tickets.",
        discussion: """
            Every command reads FEEDLOOP_DATABASE_URL and FEEDLOOP_AMQP_URL (and the other \
            FEEDLOOP_* variables the workers read).

            Exit codes: 0 done, 1 failure (the reason is printed), 64 wrong usage.

            Examples:
              feedloopctl migrate
              feedloopctl status --json
              feedloopctl stuck
              feedloopctl requeue --all-stuck --dry-run
              feedloopctl ticket respond 42 --note "We are on it"
            """,
        subcommands: [
            MigrateCommand.self, StatusCommand.self, StuckCommand.self, RequeueCommand.self, KeysCommand.self, ModelCommand.self, TicketCommand.self,
            NotificationsCommand.self, ReportCommand.self,
        ]
    )
}
