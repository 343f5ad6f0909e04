import Foundation
import Testing

@testable import FeedloopCore

/// Every statistic of the report against values computed by hand.
@Suite struct StatisticsTests {
    @Test func exactQuantilesInterpolateBetweenOrderStatistics() {
        #expect(Quantile.median([4, 1, 3, 2]) == 2.5)
        #expect(Quantile.median([7, 1, 3]) == 3)
        #expect(Quantile.exact([5], 0.9) == 5)
        // Positions 0…9; 0.9 · 9 = 8.1 → 9 + 0.1 · (10 − 9).
        let p90 = Quantile.exact((1...10).map(Double.init), 0.9)!
        #expect(abs(p90 - 9.1) < 1e-12)
        #expect(Quantile.median([]) == nil)
    }

    @Test func durationBucketsAreLogScale() {
        #expect(DurationHistogram.bucket(forSeconds: -5) == 0)
        #expect(DurationHistogram.bucket(forSeconds: 59.9) == 0)
        #expect(DurationHistogram.bucket(forSeconds: 60) == 1)
        // 120 s is one doubling above 60 s: 8 buckets further.
        #expect(DurationHistogram.bucket(forSeconds: 120) == 9)
        #expect(abs(DurationHistogram.lowerBound(9) - 120) < 1e-9)
        #expect(DurationHistogram.bucket(forSeconds: 1e12) == DurationHistogram.lastBucket)
        for seconds: Double in [61, 900, 3600, 7200, 86_400, 259_200] {
            let b = DurationHistogram.bucket(forSeconds: seconds)
            #expect(DurationHistogram.lowerBound(b) <= seconds && seconds < DurationHistogram.lowerBound(b + 1))
        }
    }

    @Test func histogramQuantilesAreWithinHalfABucketOfTheNearestRank() {
        // 1 000 durations from 2 minutes to about 3 days, spread unevenly.
        let values = (1...1000).map { i in 120 * pow(1.008, Double(i)) }
        var counts: [Int: Int64] = [:]
        for v in values { counts[DurationHistogram.bucket(forSeconds: v), default: 0] += 1 }
        for q in [0.5, 0.9] {
            let rank = Int((q * 1000).rounded(.up))
            let exact = values.sorted()[rank - 1]
            let estimate = DurationHistogram.quantile(counts, q)!
            #expect(abs(estimate - exact) / exact < 0.045, "q \(q): \(estimate) vs \(exact)")
        }
        #expect(DurationHistogram.quantile([:], 0.5) == nil)
        // One bucket: its middle.
        #expect(DurationHistogram.quantile([0: 3], 0.9) == 30)
    }

    @Test func npsIsPromotersMinusDetractorsInPercent() {
        let scores = [10, 9, 9, 8, 7, 6, 3, 10]
        let groups = scores.map(SatisfactionStatistics.npsGroup)
        let promoters = Int64(groups.filter { $0 == .promoter }.count)
        let detractors = Int64(groups.filter { $0 == .detractor }.count)
        #expect(promoters == 4 && detractors == 2)
        // (4 − 2) / 8 = 25 %.
        #expect(SatisfactionStatistics.nps(promoters: promoters, detractors: detractors, answers: 8) == 25)
        #expect(SatisfactionStatistics.nps(promoters: 0, detractors: 3, answers: 3) == -100)
        #expect(SatisfactionStatistics.nps(promoters: 0, detractors: 0, answers: 0) == nil)
    }

    @Test func csatIsTheShareOfFourAndFive() {
        let overall = [5, 4, 3, 2, 5]
        let high = Int64(overall.filter { $0 >= 4 }.count)
        #expect(SatisfactionStatistics.csat(high: high, answers: 5) == 0.6)
        #expect(SatisfactionStatistics.csat(high: 0, answers: 0) == nil)
    }

    @Test func cronbachAlphaOfATextbookExample() {
        // Five respondents, three items. Item variances 1.3, 0.7, 0.7 (sum 2.7); totals
        // 10, 13, 8, 14, 10 have variance 6; α = 3/2 · (1 − 2.7/6) = 0.825.
        let answers: [[Double]] = [[3, 4, 3], [4, 4, 5], [2, 3, 3], [5, 5, 4], [3, 3, 4]]
        let alpha = SatisfactionStatistics.cronbachAlpha(answers: answers)!
        #expect(abs(alpha - 0.825) < 1e-12)
        // Identical items: perfectly consistent.
        #expect(abs(SatisfactionStatistics.cronbachAlpha(answers: [[1, 1], [2, 2], [4, 4]])! - 1) < 1e-12)
        // Undefined with one item, one answer, or no variance in the totals.
        #expect(SatisfactionStatistics.cronbachAlpha(answers: [[1], [2]]) == nil)
        #expect(SatisfactionStatistics.cronbachAlpha(answers: [[1, 2]]) == nil)
        #expect(SatisfactionStatistics.cronbachAlpha(answers: [[3, 3], [3, 3]]) == nil)
    }

    @Test func alphaFromSumsEqualsAlphaFromAnswers() {
        // What the rollups keep: per item Σx and Σx², and Σ and Σ² of the totals.
        let answers: [[Double]] = [[3, 4, 3], [4, 4, 5], [2, 3, 3], [5, 5, 4], [3, 3, 4]]
        var items: [(sum: Double, squares: Double)] = []
        for i in 0..<3 {
            let column: [Double] = answers.map { $0[i] }
            items.append((sum: column.reduce(0, +), squares: column.map { $0 * $0 }.reduce(0, +)))
        }
        let totals: [Double] = answers.map { $0.reduce(0, +) }
        let totalSum: Double = totals.reduce(0, +)
        let totalSquares: Double = totals.map { $0 * $0 }.reduce(0, +)
        let alpha = SatisfactionStatistics.cronbachAlpha(items: items, n: 5, totalSum: totalSum, totalSquares: totalSquares)
        #expect(abs(alpha! - 0.825) < 1e-12)
    }

    @Test func figuresCompareWithThePreviousPeriod() {
        let up = Figure(12, previous: 10)
        #expect(up.change == 2 && up.relativeChange == 0.2 && up.direction == .up)
        let down = Figure(count: 6, previous: 8)
        #expect(down.change == -2 && down.relativeChange == -0.25 && down.direction == .down)
        let fromZero = Figure(5, previous: 0)
        #expect(fromZero.change == 5 && fromZero.relativeChange == nil && fromZero.direction == .up)
        let same = Figure(0.5, previous: 0.5)
        #expect(same.change == 0 && same.direction == .flat)
        let undefined = Figure(nil, previous: 3)
        #expect(undefined.change == nil && undefined.relativeChange == nil && undefined.direction == .flat)
        // A negative previous value: the relative change is against its size.
        #expect(Figure(-10, previous: -20).relativeChange == 0.5)
    }
}
