import ArgumentParser
import FeedloopCore
import Foundation

/// Trains on most of the labeled data and scores, on the rest, the trained model, the rules,
/// both combined, and the majority class, per language, with no servers involved.
struct ClassifierEvaluation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy and macro-F1 of the classifier on held-out labeled data, against baselines.",
        discussion: """
            Reads labeled JSON lines or CSV (text, category or categories, sentiment, lang), puts one row in five \
            into a test part (by a hash of its text, so the split is the same on every run and duplicate texts \
            fall on the same side), trains the models on the rest and prints, per language and for categories \
            (rows with exactly one category) and sentiment, accuracy and macro-F1 of: the majority class of the \
            training part, keywords alone (KeywordClassifier), the model alone, and rules + model (HybridClassifier, \
            its best guess, and the share it would flag for review). With --split-dir the two parts are also \
            written there, for `feedloopctl model train` / `model eval`. ops/evaluate-classifier runs it on the \
            datasets in ../shared/datasets.

            Example: feedloop-bench evaluate --split-dir /tmp/split ../shared/datasets/*.jsonl
            """
    )

    @Argument(help: "Labeled files (JSON lines or CSV).") var files: [String]
    @Option(help: "Write train.jsonl and test.jsonl here (outside the repository).") var splitDir: String?
    @Option(help: "Review threshold of the hybrid classifier.") var reviewThreshold = 0.5
    @Option(help: "Naive Bayes smoothing.") var alpha = 0.5
    @Flag(help: "Print the full per-class tables and confusion matrices too.") var details = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        var train: [LabeledExample] = []
        var test: [LabeledExample] = []
        var trainLines: [String] = []
        var testLines: [String] = []
        for file in self.files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let format = TrainingDataReader.Format.detect(fileName: file, text: text)
            let examples = try TrainingDataReader.read(text, format: format)
            let lines = format == .jsonl ? CSVParser.lines(of: text) : []
            for e in examples {
                if Self.isTest(e.text) {
                    test.append(e)
                    if e.line <= lines.count { testLines.append(String(lines[e.line - 1])) }
                } else {
                    train.append(e)
                    if e.line <= lines.count { trainLines.append(String(lines[e.line - 1])) }
                }
            }
        }
        if let dir = self.splitDir {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try (trainLines.joined(separator: "\n") + "\n").write(toFile: dir + "/train.jsonl", atomically: true, encoding: .utf8)
            try (testLines.joined(separator: "\n") + "\n").write(toFile: dir + "/test.jsonl", atomically: true, encoding: .utf8)
        }
        let started = Date()
        let models = try ModelTrainer(alpha: self.alpha).train(train, name: "evaluation", fileName: "train", trainedAt: Date())
        let trainingSeconds = Date().timeIntervalSince(started)
        let keywords = KeywordClassifier(taxonomy: .default)
        let hybrid = HybridClassifier(keywords: keywords, models: models, reviewThreshold: self.reviewThreshold)

        var report = EvaluationReport(trainRows: train.count, testRows: test.count, trainingSeconds: trainingSeconds, results: [])
        for language in ["zh", "en"] {
            let rows = test.filter { $0.language == language }
            let trainRows = train.filter { $0.language == language }
            let predictions = rows.map { e in
                (keywords: keywords.classify(text: e.text, customerTier: nil), hybrid: hybrid.classify(text: e.text, customerTier: nil), e: e)
            }
            let categoryRows = predictions.filter { $0.e.singleCategory != nil }
            if !categoryRows.isEmpty, let model = models.category {
                let gold = categoryRows.map { $0.e.singleCategory!.rawValue }
                let majority = Self.majority(trainRows.compactMap { $0.singleCategory?.rawValue })
                report.results.append(
                    .init(
                        language: language, task: "category",
                        majority: ClassificationMetrics(gold: gold, predicted: gold.map { _ in majority }),
                        keywords: ClassificationMetrics(gold: gold, predicted: categoryRows.map { $0.keywords.category.rawValue }),
                        model: ClassificationMetrics(gold: gold, predicted: categoryRows.map { model.predict($0.e.text).label }),
                        hybrid: ClassificationMetrics(
                            gold: gold, predicted: categoryRows.map { ($0.hybrid.suggestedCategory ?? $0.hybrid.category).rawValue }),
                        reviewShare: Double(categoryRows.filter { $0.hybrid.needsReview }.count) / Double(categoryRows.count),
                        hybridUnreviewedAccuracy: Self.accuracy(
                            categoryRows.filter { !$0.hybrid.needsReview }.map { ($0.hybrid.category.rawValue, $0.e.singleCategory!.rawValue) })
                    ))
            }
            let sentimentRows = predictions.filter { $0.e.sentiment != nil }
            if !sentimentRows.isEmpty, let model = models.sentiment {
                let gold = sentimentRows.map { $0.e.sentiment!.rawValue }
                let majority = Self.majority(trainRows.compactMap { $0.sentiment?.rawValue })
                report.results.append(
                    .init(
                        language: language, task: "sentiment",
                        majority: ClassificationMetrics(gold: gold, predicted: gold.map { _ in majority }),
                        keywords: ClassificationMetrics(gold: gold, predicted: sentimentRows.map { $0.keywords.sentiment.rawValue }),
                        model: ClassificationMetrics(gold: gold, predicted: sentimentRows.map { model.predict($0.e.text).label }),
                        hybrid: ClassificationMetrics(gold: gold, predicted: sentimentRows.map { $0.hybrid.sentiment.rawValue }),
                        reviewShare: nil, hybridUnreviewedAccuracy: nil
                    ))
            }
        }
        if self.json {
            let encoder = FeedloopJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(details: self.details))
        }
    }

    /// One row in five goes to the test part; salted so it is not the trainer's own hold-out.
    static func isTest(_ text: String) -> Bool {
        var h: UInt32 = 2_166_136_261
        for byte in ("evaluate:" + text).utf8 { h = (h ^ UInt32(byte)) &* 16_777_619 }
        return h % 5 == 0
    }

    static func majority(_ labels: [String]) -> String {
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        return counts.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }?.key ?? "other"
    }

    static func accuracy(_ pairs: [(String, String)]) -> Double {
        pairs.isEmpty ? 0 : Double(pairs.filter { $0.0 == $0.1 }.count) / Double(pairs.count)
    }
}

/// What `feedloop-bench evaluate` prints.
struct EvaluationReport: Encodable {
    struct Result: Encodable {
        var language: String
        var task: String
        var majority: ClassificationMetrics
        var keywords: ClassificationMetrics
        var model: ClassificationMetrics
        var hybrid: ClassificationMetrics
        /// Share of category rows the hybrid classifier flags for review.
        var reviewShare: Double?
        /// Accuracy of the hybrid classifier on the rows it does not flag.
        var hybridUnreviewedAccuracy: Double?
    }

    var trainRows: Int
    var testRows: Int
    var trainingSeconds: Double
    var results: [Result]

    func text(details: Bool) -> String {
        let f = ClassificationMetrics.format
        var rows = [
            ["language", "task", "test rows", "majority acc/F1", "keywords acc/F1", "model acc/F1", "rules+model acc/F1", "review share", "acc unreviewed"]
        ]
        for r in self.results {
            rows.append([
                r.language, r.task, String(r.model.count), "\(f(r.majority.accuracy)) / \(f(r.majority.macroF1))",
                "\(f(r.keywords.accuracy)) / \(f(r.keywords.macroF1))", "\(f(r.model.accuracy)) / \(f(r.model.macroF1))",
                "\(f(r.hybrid.accuracy)) / \(f(r.hybrid.macroF1))", r.reviewShare.map(f) ?? "-", r.hybridUnreviewedAccuracy.map(f) ?? "-",
            ])
        }
        var out = [
            "trained on \(self.trainRows) rows in \(String(format: "%.1f", self.trainingSeconds)) s; tested on \(self.testRows) held-out rows", "",
            ClassificationMetrics.table(rows),
        ]
        if details {
            for r in self.results {
                out.append("")
                out.append(r.model.text(title: "\(r.language) \(r.task), model"))
                out.append("")
                out.append(r.hybrid.text(title: "\(r.language) \(r.task), rules + model"))
            }
        }
        return out.joined(separator: "\n")
    }
}
