import ArgumentParser
import FeedloopCore
import FeedloopRuntime

/// `feedloopctl model list`: the stored versions, newest first.
struct ModelListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored classifier model versions with their held-out accuracy and macro-F1.",
        discussion: """
            The active version is marked with *. Accuracy and macro-F1 are those measured at training on the \
            held-out fifth of the training file.

            Examples:
              feedloopctl model list
              feedloopctl model list --json
            """
    )

    @Flag(help: "Print machine-readable JSON instead of a table.") var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let entries = try ClassifierModelStore.list(in: db)
        if self.json {
            try JSONOutput.print(entries)
            return
        }
        if entries.isEmpty {
            print("no classifier models stored; train one with feedloopctl model train FILE")
            return
        }
        let f = ClassificationMetrics.format
        var table = TextTable(
            ["", "version", "name", "trained", "file", "rows", "category acc/F1", "sentiment acc/F1"], numericColumns: [1, 5])
        for e in entries {
            table.append([
                e.active ? "*" : "", String(e.version), e.name, FeedloopJSON.formatTimestamp(e.trainedAt), e.trainingFile,
                String(e.trainingRows), e.metrics.category.map { "\(f($0.accuracy)) / \(f($0.macroF1))" } ?? "-",
                e.metrics.sentiment.map { "\(f($0.accuracy)) / \(f($0.macroF1))" } ?? "-",
            ])
        }
        print(table.render())
    }
}
