import ArgumentParser
import FeedloopRuntime

/// `feedloop-producer`: takes feedback in over HTTP (`serve`, the default) or from files (`import`).
@main
struct ProducerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-producer",
        abstract: "Takes customer feedback in and stores each item as a received ticket.",
        discussion: """
            Every accepted item becomes a ticket in state `received` and a feedback.received event on the exchange feedloop.events, committed together through the transactional outbox and published after the commit with publisher confirms. An item a channel resends (same channel and external_id) returns the existing ticket instead of creating a second one.

            `serve` (the default) runs the HTTP API, authenticated with API keys (`feedloopctl keys`); `import` loads a JSON-lines or CSV file without the server; `routes` lists the HTTP routes. See `feedloop-producer help serve` and `feedloop-producer help import`.

            \(FeedloopConfiguration.helpText)
            """,
        subcommands: [ServeCommand.self, ImportCommand.self, RoutesCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
