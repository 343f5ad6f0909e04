import ArgumentParser
import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation

/// The worker: consumes feedback.received and classifies it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the classifier worker (the default).",
        discussion: details
    )

    static let details = """
        Consumes feedback.received from the queue feedloop.classifier. Each item's text is fingerprinted (64-bit SimHash over character shingles); an item whose customer sent near-identical text within the duplicate window becomes `duplicate`, linked to that customer's first ticket, and is not classified again and publishes nothing. The others are classified with the taxonomy (Chinese and English keywords), given a sentiment, level and department; complaints of the same category and sub-category with similar text from enough distinct customers within the incident window form an incident (level 1, rule `incident`). Each ticket moves to `open` and ticket.classified is published; the ticket records which rule set its level. With a trained model activated by `feedloopctl model`, rules and model combine with a confidence, and a ticket below the review threshold is flagged needs_review; each replica checks for a newly activated model every FEEDLOOP_MODEL_REFRESH_S seconds and switches without a restart. Run more copies to scale out; they share the queue. Stops cleanly on SIGTERM.

        The taxonomy, level rules and duplicate rules come from the YAML file named by FEEDLOOP_TAXONOMY, or are the built-in default (config/taxonomy.yaml; format in docs/TAXONOMY.md). A file with any problem stops the worker at start: each problem is printed as FILE:LINE: reason on standard error and the exit status is 1.

        Environment, besides the shared settings below:
          FEEDLOOP_TAXONOMY        taxonomy YAML file [built-in default]
          FEEDLOOP_MODEL_REFRESH_S seconds between checks for a newly
                                   activated trained model [10]

        \(FeedloopConfiguration.helpText)
        \(ObservabilityHelp.workerText(defaultPort: WorkerRole.classifier.defaultHTTPPort))
        """

    func run() async throws {
        let configuration = try FeedloopConfiguration(defaultHTTPPort: WorkerRole.classifier.defaultHTTPPort)
        let environment = Environment()
        let taxonomy = try TaxonomyCommand.loadConfigured(environment)
        let modelRefresh = Duration.seconds(try environment.int("FEEDLOOP_MODEL_REFRESH_S", default: 10, range: 1...3600))
        try await WorkerMain.runServingHealth(role: .classifier, configuration: configuration) { logger in
            if let path = taxonomy.path {
                logger.info("taxonomy loaded", metadata: ["file": "\(path)", "categories": "\(taxonomy.file.taxonomy.categories.count)"])
            }
            return ClassificationHandler(configuration: taxonomy.file, modelRefresh: modelRefresh, logger: logger)
        }
    }
}
