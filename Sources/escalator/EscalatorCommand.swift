import ArgumentParser
import FeedloopCore
import FeedloopRuntime

@main
struct EscalatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-escalator",
        abstract: "Holds tickets to their SLA clocks and escalates overdue ones.",
        discussion: """
            Without a subcommand, runs the worker (`run`). `check` validates an SLA policy file without starting.

            \(RunCommand.details)
            """,
        subcommands: [RunCommand.self, CheckCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
