import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-bench",
        abstract: "Measures the broker and the pipeline on this machine.",
        discussion: """
            `ops/bench` runs both against private servers and prints them side by side; run the subcommands directly to measure a deployment of your own.
            """,
        subcommands: [
            BrokerBenchmark.self, PipelineBenchmark.self, EndToEndBenchmark.self, ClassifyBenchmark.self, ClassifierEvaluation.self, ImportBenchmark.self,
            NotifierBenchmark.self, SLABenchmark.self, AnalyticsBenchmark.self,
        ]
    )
}
