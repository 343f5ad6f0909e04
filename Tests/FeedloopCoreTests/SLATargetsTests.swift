import Foundation
import Testing

@testable import FeedloopCore

@Suite struct SLATargetsTests {
    static let hour = 3600

    static let expected: [(Level, [SLAMetric: Int])] = [
        (.urgent, [.firstResponse: 2 * hour, .plan: 24 * hour, .resolution: 48 * hour]),
        (.important, [.firstResponse: 4 * hour, .resolution: 72 * hour]),
        (.general, [.firstResponse: 8 * hour, .resolution: 30 * 24 * hour]),
    ]

    @Test(arguments: expected)
    func defaultsPerLevel(level: Level, seconds: [SLAMetric: Int]) {
        let tiers: [CustomerTier?] = [nil, .regular, .new]
        for tier in tiers {
            let targets = SLATargets.default(for: level, tier: tier)
            #expect(targets.durations == seconds.mapValues { Duration.seconds($0) })
        }
    }

    @Test(arguments: Level.allCases)
    func vipGetsAFifteenMinuteFirstResponse(level: Level) {
        let vip = SLATargets.default(for: level, tier: .vip)
        let regular = SLATargets.default(for: level, tier: .regular)
        #expect(vip.duration(for: .firstResponse) == .seconds(15 * 60))
        #expect(vip.duration(for: .resolution) == regular.duration(for: .resolution))
        #expect(vip.duration(for: .plan) == regular.duration(for: .plan))
    }

    @Test func dueDatesFollowMetricOrder() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let due = SLATargets.default(for: .urgent, tier: .vip).dueDates(from: start)
        #expect(due.map(\.metric) == [.firstResponse, .plan, .resolution])
        #expect(due.map { $0.due.timeIntervalSince(start) } == [900, 86_400, 172_800])
    }

    @Test func metricsWithoutTargetHaveNoDueDate() {
        let due = SLATargets.default(for: .important, tier: nil).dueDates(from: Date(timeIntervalSince1970: 0))
        #expect(due.map(\.metric) == [.firstResponse, .resolution])
        #expect(SLATargets.default(for: .general, tier: nil).duration(for: .plan) == nil)
    }

    @Test func fractionalDurations() {
        let targets = SLATargets(durations: [.firstResponse: .milliseconds(1500)])
        let start = Date(timeIntervalSince1970: 100)
        #expect(targets.dueDates(from: start).first?.due == Date(timeIntervalSince1970: 101.5))
    }
}
