import FeedloopCore
import Foundation
import Testing

private let utc = TimeZone(identifier: "UTC")!
private let weekdays9to18 = BusinessCalendar(
    id: "office", timeZone: utc, weekly: Array(repeating: [WorkingPeriod("09:00-18:00")!], count: 5) + [[], []]
)
private let monday9 = ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!
private func hours(_ h: Double) -> TimeInterval { h * 3600 }

@Suite("SLA clock")
struct SLAClockTests {
    @Test("a running clock is due when its working time is used up")
    func due() {
        let clock = SLAClock(metric: .firstResponse, targetSeconds: hours(4), startedAt: monday9)
        #expect(clock.dueAt(on: weekdays9to18) == monday9.addingTimeInterval(hours(4)))
        #expect(clock.instant(atShare: 0.8, on: weekdays9to18) == monday9.addingTimeInterval(hours(3.2)))
    }

    @Test("a pause moves the due time by the working time spent paused")
    func pauseMovesDue() throws {
        var clock = SLAClock(metric: .resolution, targetSeconds: hours(8), startedAt: monday9)
        try clock.pause(at: monday9.addingTimeInterval(hours(2)), on: weekdays9to18)
        #expect(clock.state == .paused)
        #expect(clock.dueAt(on: weekdays9to18) == nil)
        // Paused from 11:00 Monday to 11:00 Tuesday: 9 working hours added back.
        try clock.resume(at: monday9.addingTimeInterval(hours(26)), on: weekdays9to18)
        // 6 h left from Tuesday 11:00: 17:00 Tuesday.
        #expect(clock.dueAt(on: weekdays9to18) == monday9.addingTimeInterval(hours(32)))
        #expect(clock.used(at: monday9.addingTimeInterval(hours(27)), on: weekdays9to18) == hours(3))
    }

    @Test("met within the target, breached after it, and nothing after a stop")
    func stopOutcomes() throws {
        var met = SLAClock(metric: .firstResponse, targetSeconds: hours(2), startedAt: monday9)
        try met.stop(at: monday9.addingTimeInterval(hours(2)), on: weekdays9to18)
        #expect(met.state == .met)
        #expect(throws: SLAClock.TransitionError.stopped(.met)) {
            var c = met
            try c.resume(at: monday9.addingTimeInterval(hours(3)), on: weekdays9to18)
        }

        var late = SLAClock(metric: .firstResponse, targetSeconds: hours(2), startedAt: monday9)
        let early = late.checkBreach(at: monday9.addingTimeInterval(hours(1)), on: weekdays9to18)
        #expect(!early)
        let onTime = late.checkBreach(at: monday9.addingTimeInterval(hours(2)), on: weekdays9to18)
        #expect(onTime)
        try late.stop(at: monday9.addingTimeInterval(hours(3)), on: weekdays9to18)
        #expect(late.state == .breached)
        #expect(late.isStopped)
    }

    @Test("a policy change re-evaluates the due time and the breach")
    func retarget() throws {
        var clock = SLAClock(metric: .resolution, targetSeconds: hours(8), startedAt: monday9)
        try clock.retarget(hours(4), at: monday9.addingTimeInterval(hours(1)), on: weekdays9to18)
        #expect(clock.dueAt(on: weekdays9to18) == monday9.addingTimeInterval(hours(4)))
        try clock.retarget(hours(0.5), at: monday9.addingTimeInterval(hours(1)), on: weekdays9to18)
        #expect(clock.state == .breached)
        try clock.retarget(hours(5), at: monday9.addingTimeInterval(hours(2)), on: weekdays9to18)
        #expect(clock.state == .running)
    }

    @Test("refuses transitions that make no sense")
    func refusals() throws {
        var clock = SLAClock(metric: .plan, targetSeconds: hours(8), startedAt: monday9)
        #expect(throws: SLAClock.TransitionError.notPaused(.running)) {
            var c = clock
            try c.resume(at: monday9, on: weekdays9to18)
        }
        try clock.pause(at: monday9.addingTimeInterval(60), on: weekdays9to18)
        #expect(throws: SLAClock.TransitionError.notRunning(.paused)) {
            var c = clock
            try c.pause(at: monday9.addingTimeInterval(120), on: weekdays9to18)
        }
        #expect(throws: SLAClock.TransitionError.beforeLastChange) {
            var c = clock
            try c.resume(at: monday9, on: weekdays9to18)
        }
    }

    @Test("any sequence of pauses and resumes uses exactly the running working time")
    func randomPauses() throws {
        var seed: UInt64 = 42
        func next(_ range: ClosedRange<Double>) -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Double(seed >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
        }
        for _ in 0..<200 {
            var clock = SLAClock(metric: .resolution, targetSeconds: hours(next(1...60).rounded()), startedAt: monday9)
            var now = monday9
            var running = 0.0
            for step in 0..<Int(next(1...12)) {
                let later = now.addingTimeInterval(next(0...hours(30)).rounded())
                if step % 2 == 0 {
                    running += weekdays9to18.workingSeconds(from: now, to: later)
                    try clock.pause(at: later, on: weekdays9to18)
                } else {
                    try clock.resume(at: later, on: weekdays9to18)
                }
                now = later
            }
            #expect(clock.used(at: now, on: weekdays9to18) == running)
            if let due = clock.dueAt(on: weekdays9to18), running < clock.targetSeconds {
                #expect(weekdays9to18.workingSeconds(from: now, to: due) == clock.targetSeconds - running)
            }
        }
    }
}
