import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// `feedloopctl model eval FILE`: scores a stored model on labeled rows it was not trained on.
struct ModelEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a stored model on a labeled file: accuracy, macro-F1, per-class scores, confusion matrix.",
        discussion: """
            Scores the model alone and rules + model together (the classifier's best guess, as the workers \
            compute it with the given review threshold), for categories (rows with exactly one category) and \
            sentiment (rows with a sentiment). Macro-F1 averages the classes present in the file. Use a file \
            the model was not trained on.

            Examples:
              feedloopctl model eval holdout.jsonl
              feedloopctl model eval holdout.csv --version 3 --json
            """
    )

    @Argument(help: "The labeled file (.csv or .jsonl).") var file: String
    @Option(help: "The model version (default: the active one).") var version: Int?
    @Option(help: "Review threshold for rules + model.") var reviewThreshold = 0.5
    @Flag(help: "Print machine-readable JSON instead of tables.") var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        guard let version = try self.version ?? ClassifierModelStore.activeVersion(in: db) else {
            throw CtlError("no classifier model is active; pass --version N (see feedloopctl model list)")
        }
        let models: ClassifierModelSet
        do {
            models = try ClassifierModelStore.load(version: version, in: db)
        } catch let error as ClassifierModelStore.StoreError {
            throw CtlError("\(error)")
        }
        let rows = try ModelDataFile.read(self.file)
        let hybrid = HybridClassifier(keywords: KeywordClassifier(taxonomy: .default), models: models, reviewThreshold: self.reviewThreshold)
        var report = EvalReport(version: version, rows: rows.count)
        let classified = rows.map { hybrid.classify(text: $0.text, customerTier: nil) }
        let categoryPairs = zip(rows, classified).filter { $0.0.singleCategory != nil }
        if let model = models.category, !categoryPairs.isEmpty {
            let gold = categoryPairs.map { $0.0.singleCategory!.rawValue }
            report.categoryModel = ClassificationMetrics(gold: gold, predicted: categoryPairs.map { model.predict($0.0.text).label })
            report.categoryCombined = ClassificationMetrics(
                gold: gold, predicted: categoryPairs.map { ($0.1.suggestedCategory ?? $0.1.category).rawValue })
            report.needsReview = categoryPairs.filter { $0.1.needsReview }.count
        }
        let sentimentPairs = zip(rows, classified).filter { $0.0.sentiment != nil }
        if let model = models.sentiment, !sentimentPairs.isEmpty {
            let gold = sentimentPairs.map { $0.0.sentiment!.rawValue }
            report.sentimentModel = ClassificationMetrics(gold: gold, predicted: sentimentPairs.map { model.predict($0.0.text).label })
            report.sentimentCombined = ClassificationMetrics(gold: gold, predicted: sentimentPairs.map { $0.1.sentiment.rawValue })
        }
        if self.json {
            try JSONOutput.print(report)
            return
        }
        print("model version \(version) on \(rows.count) rows of \((self.file as NSString).lastPathComponent)")
        let sections: [(String, ClassificationMetrics?)] = [
            ("category, model", report.categoryModel), ("category, rules + model", report.categoryCombined),
            ("sentiment, model", report.sentimentModel), ("sentiment, rules + model", report.sentimentCombined),
        ]
        for (title, metrics) in sections {
            guard let metrics else { continue }
            print("")
            print(metrics.text(title: title))
        }
        if let n = report.needsReview, let total = report.categoryCombined?.count {
            print("")
            print("flagged for review (threshold \(self.reviewThreshold)): \(n) of \(total) category rows")
        }
    }

    struct EvalReport: Encodable {
        var version: Int
        var rows: Int
        var categoryModel: ClassificationMetrics?
        var categoryCombined: ClassificationMetrics?
        var sentimentModel: ClassificationMetrics?
        var sentimentCombined: ClassificationMetrics?
        var needsReview: Int?
    }
}
