import Testing

@testable import FeedloopCore

@Suite struct ModelMetricsTests {
    @Test func metricsMatchAHandComputedConfusionMatrix() {
        // gold a a a b b c; predicted a a b b c c
        let m = ClassificationMetrics(gold: ["a", "a", "a", "b", "b", "c"], predicted: ["a", "a", "b", "b", "c", "c"])
        #expect(m.labels == ["a", "b", "c"])
        #expect(m.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(abs(m.accuracy - 4.0 / 6) < 1e-12)
        // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1/1, F1 2/3.
        #expect(m.perClass.map(\.support) == [3, 2, 1])
        #expect(abs(m.perClass[0].precision - 1) < 1e-12 && abs(m.perClass[0].recall - 2.0 / 3) < 1e-12)
        #expect(abs(m.perClass[0].f1 - 0.8) < 1e-12)
        #expect(abs(m.perClass[1].f1 - 0.5) < 1e-12)
        #expect(abs(m.perClass[2].f1 - 2.0 / 3) < 1e-12)
        #expect(abs(m.macroF1 - (0.8 + 0.5 + 2.0 / 3) / 3) < 1e-12)
    }

    @Test func labelsOnlyPredictedCostAccuracyButStayOutOfMacroF1() {
        let m = ClassificationMetrics(gold: ["a", "a", "b", "b"], predicted: ["a", "x", "b", "b"])
        #expect(m.labels == ["a", "b", "x"])
        #expect(m.perClass.map(\.label) == ["a", "b"])
        #expect(m.accuracy == 0.75)
        // a: P 1, R 0.5, F1 2/3; b: P 1, R 1, F1 1.
        #expect(abs(m.macroF1 - (2.0 / 3 + 1) / 2) < 1e-12)
    }

    @Test func textTablesShowTheFigures() {
        let m = ClassificationMetrics(gold: ["a", "b"], predicted: ["a", "a"])
        let text = m.text(title: "t")
        #expect(text.contains("accuracy 0.500"))
        #expect(text.contains("macro-F1 0.333"))
        #expect(ClassificationMetrics.format(0.0005) == "0.001")
        #expect(ClassificationMetrics.format(1) == "1.000")
    }
}
