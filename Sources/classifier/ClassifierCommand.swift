import ArgumentParser
import FeedloopCore
import FeedloopRuntime

@main
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-classifier",
        abstract: "Classifies, grades and routes received feedback.",
        discussion: """
            Consumes feedback.received from the queue feedloop.classifier, classifies each item with the default taxonomy (Chinese and English keywords), sets its sentiment, level and department, moves the ticket to `open` and publishes ticket.classified. Run more copies to scale out; they share the queue. Stops cleanly on SIGTERM.

            \(FeedloopConfiguration.helpText)
            """
    )

    func run() async throws {
        let configuration = try FeedloopConfiguration()
        try await WorkerMain.run(role: .classifier, configuration: configuration) { _ in
            ClassificationHandler(classifier: KeywordClassifier(taxonomy: .default))
        }
    }
}
