import ArgumentParser
import FeedloopCore
import Foundation

/// Items per second of rules and model together (``HybridClassifier``) on one core.
struct ClassifyBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Items/s of keyword rules + trained model on one core.",
        discussion: """
            Trains a model on the labeled files given (by default the datasets in ../shared/datasets, when \
            present; otherwise a generated set of Chinese and English feedback), then classifies their texts \
            on one thread, several times, and prints the median items/s, as well as keywords alone for \
            comparison. Build with -c release for meaningful figures.

            Example: swift build -c release --product feedloop-bench && .build/release/feedloop-bench classify
            """
    )

    @Argument(help: "Labeled files (JSON lines or CSV); default: ../shared/datasets/*.jsonl if present.") var files: [String] = []
    @Option(help: "Texts classified per run.") var items = 50_000
    @Option(help: "Runs; the median is reported.") var runs = 5
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let examples = try self.loadExamples()
        let models = try ModelTrainer().train(examples, name: "benchmark", fileName: "benchmark", trainedAt: Date())
        let keywords = KeywordClassifier(taxonomy: .default)
        let hybrid = HybridClassifier(keywords: keywords, models: models, reviewThreshold: 0.5)
        let texts = (0..<self.items).map { examples[$0 % examples.count].text }
        let meanLength = Double(texts.reduce(0) { $0 + $1.count }) / Double(texts.count)

        let hybridRates = self.measure(texts) { hybrid.classify(text: $0, customerTier: nil).needsReview }
        let keywordRates = self.measure(texts) { keywords.classify(text: $0, customerTier: nil).needsReview }
        let result = Result(
            items: self.items, runs: self.runs, meanCharacters: meanLength, source: self.files.isEmpty ? "default" : "files",
            hybridItemsPerSecond: Self.median(hybridRates), keywordsItemsPerSecond: Self.median(keywordRates)
        )
        if self.json {
            let encoder = FeedloopJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("classified \(self.items) texts (mean \(Int(meanLength)) characters) × \(self.runs) runs on one thread")
            print("rules + model (HybridClassifier): \(Int(result.hybridItemsPerSecond)) items/s (median)")
            print("keywords alone (KeywordClassifier): \(Int(result.keywordsItemsPerSecond)) items/s (median)")
        }
    }

    struct Result: Encodable {
        var items: Int
        var runs: Int
        var meanCharacters: Double
        var source: String
        var hybridItemsPerSecond: Double
        var keywordsItemsPerSecond: Double
    }

    private func measure(_ texts: [String], _ body: (String) -> Bool) -> [Double] {
        var rates: [Double] = []
        for _ in 0..<self.runs {
            var flagged = 0
            let start = ContinuousClock.now
            for text in texts where body(text) { flagged += 1 }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // `flagged` keeps the optimizer from dropping the work.
            rates.append(Double(texts.count + flagged * 0) / seconds)
        }
        return rates
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    private func loadExamples() throws -> [LabeledExample] {
        var files = self.files
        if files.isEmpty {
            let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/datasets").standardized.path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            files = names.filter { $0.hasSuffix(".jsonl") }.sorted().map { dir + "/" + $0 }
        }
        var examples: [LabeledExample] = []
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            examples += try TrainingDataReader.read(text, format: .detect(fileName: file, text: text))
        }
        return examples.isEmpty ? GeneratedFeedback.examples(count: 5_000) : examples
    }
}
