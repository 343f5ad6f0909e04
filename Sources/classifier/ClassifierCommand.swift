import ArgumentParser
import FeedloopCore
import FeedloopRuntime

@main
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-classifier",
        abstract: "Classifies, grades and routes received feedback.",
        discussion: """
            Without a subcommand, runs the worker (`run`). `taxonomy` checks or exports a taxonomy file.

            \(RunCommand.details)
            """,
        subcommands: [RunCommand.self, TaxonomyCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
