import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// `feedloopctl model train FILE`: fits the category and sentiment models and stores them.
struct ModelTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train classifier models on a labeled CSV or JSON-lines file and store them as a new version.",
        discussion: """
            Fits a naive Bayes model for categories and one for sentiment (character n-grams for Chinese, words \
            and word pairs for English). One row in five, chosen by a hash of its text, is held out first to \
            calibrate the model's confidence and to measure it; the figures are printed and stored with the \
            version. The stored models are then fitted on every row. The same file always gives the same model.

            Prints the new version number. Without --activate the running classifiers keep their current model \
            until `feedloopctl model activate N`.

            Examples:
              feedloopctl model train labeled.jsonl --activate
              feedloopctl model train export.csv --name "Q2 tickets"
            """
    )

    @Argument(help: "The labeled file (.csv or .jsonl).") var file: String
    @Flag(help: "Make the new version the active one.") var activate = false
    @Option(help: "A name for the version (default: the file name).") var name: String?
    @Flag(help: "Print machine-readable JSON instead of text.") var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let rows = try ModelDataFile.read(self.file)
        let fileName = (self.file as NSString).lastPathComponent
        let started = Date()
        let models: ClassifierModelSet
        do {
            models = try ModelTrainer().train(rows, name: self.name ?? fileName, fileName: fileName, trainedAt: started) {
                StandardError.print("training \($0)…")
            }
        } catch let error as ModelTrainer.TrainingError {
            throw CtlError("\(self.file): \(error)")
        }
        let version = try ClassifierModelStore.save(models, activate: self.activate, in: db)
        if self.json {
            try JSONOutput.print(TrainResult(version: version, active: self.activate, training: models.training, evaluation: models.evaluation))
            return
        }
        print("stored classifier model version \(version)\(self.activate ? " (active)" : "")")
        print(
            "trained on \(models.training.rows) rows (\(models.training.categoryRows) with one category, "
                + "\(models.training.sentimentRows) with a sentiment) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
        if let m = models.evaluation.category {
            print("")
            print(m.text(title: "category, on the held-out fifth"))
        }
        if let m = models.evaluation.sentiment {
            print("")
            print(m.text(title: "sentiment, on the held-out fifth"))
        }
    }

    struct TrainResult: Encodable {
        var version: Int
        var active: Bool
        var training: ClassifierModelSet.TrainingSummary
        var evaluation: ClassifierModelSet.Evaluation
    }
}
