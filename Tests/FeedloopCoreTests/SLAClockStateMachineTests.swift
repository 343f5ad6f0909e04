import FeedloopCore
import Foundation
import PropertyBased
import Testing

/// The clock state machine, exhaustively: every transition from every state, any sequence of
/// pauses and resumes against a reference that sums the running intervals, reopen cycles and
/// policy changes, and the schedule (due, warning, ladder) the escalator stores.
@Suite("SLA clock state machine")
struct SLAClockStateMachineTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let calendar = BusinessCalendar.twentyFourSeven()
    static let office = BusinessCalendar(
        id: "office", timeZone: TimeZone(identifier: "Europe/Berlin")!,
        weekly: Array(repeating: [WorkingPeriod("09:00-12:00")!, WorkingPeriod("13:00-17:00")!], count: 5) + [[], []])

    enum Operation: String, CaseIterable, Sendable {
        case pause, resume, stop, retargetShorter, retargetLonger, checkBreach
    }

    enum Situation: String, CaseIterable, Sendable {
        case running, paused, overdueRunning, overduePaused, met, breachedStopped
    }

    /// A clock of 100 s in `situation`, and the instant it got there.
    static func clock(_ situation: Situation) -> (SLAClock, Date) {
        var c = SLAClock(metric: .resolution, targetSeconds: 100, startedAt: start)
        let t = start.addingTimeInterval
        switch situation {
        case .running: return (c, t(10))
        case .paused: try! c.pause(at: t(10), on: calendar)
        case .overdueRunning: c.checkBreach(at: t(150), on: calendar)
        case .overduePaused:
            c.checkBreach(at: t(150), on: calendar)
            try! c.pause(at: t(150), on: calendar)
        case .met: try! c.stop(at: t(50), on: calendar)
        case .breachedStopped: try! c.stop(at: t(150), on: calendar)
        }
        return (c, t(150))
    }

    /// What each operation does from each situation: the state after it, or nil when it throws.
    static let expected: [Situation: [Operation: SLAClock.State?]] = [
        .running: [.pause: .paused, .resume: nil, .stop: .met, .retargetShorter: .breached, .retargetLonger: .running, .checkBreach: .running],
        .paused: [.pause: nil, .resume: .running, .stop: .met, .retargetShorter: .paused, .retargetLonger: .paused, .checkBreach: .paused],
        .overdueRunning: [
            .pause: .paused, .resume: nil, .stop: .breached, .retargetShorter: .breached, .retargetLonger: .running, .checkBreach: .breached,
        ],
        .overduePaused: [
            .pause: nil, .resume: .breached, .stop: .breached, .retargetShorter: .paused, .retargetLonger: .paused, .checkBreach: .paused,
        ],
        .met: [.pause: nil, .resume: nil, .stop: nil, .retargetShorter: nil, .retargetLonger: nil, .checkBreach: .met],
        .breachedStopped: [.pause: nil, .resume: nil, .stop: nil, .retargetShorter: nil, .retargetLonger: nil, .checkBreach: .breached],
    ]

    @Test("every operation from every state", arguments: Situation.allCases, Operation.allCases)
    func transition(situation: Situation, operation: Operation) {
        var (c, now) = Self.clock(situation)
        // 10 s after the situation arose (the overdue ones already used 150 s of 100).
        let later = now.addingTimeInterval(situation == .running ? 0 : 10)
        now = later
        let before = c
        var threw = false
        do {
            switch operation {
            case .pause: try c.pause(at: now, on: Self.calendar)
            case .resume: try c.resume(at: now, on: Self.calendar)
            case .stop: try c.stop(at: now, on: Self.calendar)
            case .retargetShorter: try c.retarget(5, at: now, on: Self.calendar)
            case .retargetLonger: try c.retarget(10_000, at: now, on: Self.calendar)
            case .checkBreach: c.checkBreach(at: now, on: Self.calendar)
            }
        } catch {
            threw = true
        }
        let expected = Self.expected[situation]![operation]!
        if let expected {
            #expect(!threw)
            #expect(c.state == expected)
        } else {
            #expect(threw)
            #expect(c == before, "a refused transition changes nothing")
        }
    }

    @Test("transitions dated before the last change are refused")
    func noTimeTravel() throws {
        var c = SLAClock(metric: .plan, targetSeconds: 100, startedAt: Self.start)
        try c.pause(at: Self.start.addingTimeInterval(20), on: Self.calendar)
        #expect(throws: SLAClock.TransitionError.beforeLastChange) { try c.resume(at: Self.start.addingTimeInterval(10), on: Self.calendar) }
    }

    @Test("any number of pauses and resumes uses exactly the running working time, on a business calendar")
    func pausesMatchReference() async {
        // Gaps in minutes between successive pause / resume toggles.
        await propertyCheck(count: 200, input: Gen.int(in: 1...(3 * 24 * 60)).array(of: 0...24), Gen.int(in: 1...40)) { gaps, targetHours in
            var c = SLAClock(metric: .resolution, targetSeconds: TimeInterval(targetHours * 3600), startedAt: Self.start)
            var now = Self.start
            var running = true
            var used: TimeInterval = 0
            for gap in gaps {
                let next = now.addingTimeInterval(TimeInterval(gap * 60))
                if running { used += Self.office.workingSeconds(from: now, to: next) }
                now = next
                if running {
                    try c.pause(at: now, on: Self.office)
                } else {
                    try c.resume(at: now, on: Self.office)
                }
                running.toggle()
                #expect(abs(c.used(at: now, on: Self.office) - used) < 0.001)
            }
            if running {
                let due = try #require(c.dueAt(on: Self.office))
                let remaining = max(0, c.targetSeconds - used)
                #expect(abs(Self.office.workingSeconds(from: now, to: due) - remaining) < 0.001)
                #expect(c.state == (used >= c.targetSeconds ? .breached : .running))
            } else {
                #expect(c.dueAt(on: Self.office) == nil)
                #expect(c.state == .paused)
            }
            // Stopping now meets the clock exactly when the working time used is within the target.
            try c.stop(at: now, on: Self.office)
            if used != c.targetSeconds { #expect(c.state == (used < c.targetSeconds ? .met : .breached)) }
        }
    }

    @Test("a clock found breached stays breached when it is met afterwards")
    func breachIsKept() throws {
        var c = SLAClock(metric: .firstResponse, targetSeconds: 60, startedAt: Self.start)
        let breached = c.checkBreach(at: Self.start.addingTimeInterval(60), on: Self.calendar)
        #expect(breached)
        try c.stop(at: Self.start.addingTimeInterval(60), on: Self.calendar)
        #expect(c.state == .breached)
    }

    @Test("a policy change moves the due time of a paused clock only once it resumes")
    func retargetWhilePaused() throws {
        var c = SLAClock(metric: .resolution, targetSeconds: 100, startedAt: Self.start)
        try c.pause(at: Self.start.addingTimeInterval(40), on: Self.calendar)
        try c.retarget(200, at: Self.start.addingTimeInterval(50), on: Self.calendar)
        #expect(c.dueAt(on: Self.calendar) == nil)
        try c.resume(at: Self.start.addingTimeInterval(70), on: Self.calendar)
        #expect(c.dueAt(on: Self.calendar) == Self.start.addingTimeInterval(70 + 160))
    }

    @Test("a restored clock behaves like the one it was stored from")
    func restoring() throws {
        var c = SLAClock(metric: .resolution, targetSeconds: 3600, startedAt: Self.start)
        try c.pause(at: Self.start.addingTimeInterval(600), on: Self.office)
        let restored = SLAClock(
            metric: c.metric, targetSeconds: c.targetSeconds, startedAt: c.startedAt, state: c.state, usedSeconds: c.usedSeconds,
            runningSince: c.runningSince, stoppedAt: c.stoppedAt, changedAt: c.changedAt)
        #expect(restored == c)
    }

    // MARK: Schedule

    static let ladder = EscalationLadder(steps: [
        .init(notify: "assignee", afterDue: .seconds(0)), .init(notify: "department_head", afterDue: .seconds(600)),
        .init(notify: "director", afterDue: .share(1)),
    ])

    @Test("the schedule: warning at the share, step 1 at due, later steps after their delays")
    func schedule() {
        let c = SLAClock(metric: .firstResponse, targetSeconds: 1000, startedAt: Self.start)
        let t = Self.start.addingTimeInterval
        var s = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: Self.ladder, warningShare: 0.8, warned: false, stepsFired: 0)
        #expect(s.dueAt == t(1000))
        #expect(s.warnAt == t(800))
        #expect(s.nextStepAt == t(1000))
        #expect(s.nextFireAt == t(800))
        s = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: Self.ladder, warningShare: 0.8, warned: true, stepsFired: 1)
        #expect(s.nextFireAt == t(1600))
        #expect(s.nextStep == 2)
        s = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: Self.ladder, warningShare: 0.8, warned: true, stepsFired: 2)
        #expect(s.nextFireAt == t(2000))
        s = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: Self.ladder, warningShare: 0.8, warned: true, stepsFired: 3)
        #expect(s.nextFireAt == nil)
    }

    @Test("a paused or stopped clock fires nothing; a resumed one past its share warns at once")
    func scheduleWhilePaused() throws {
        var c = SLAClock(metric: .resolution, targetSeconds: 1000, startedAt: Self.start)
        try c.pause(at: Self.start.addingTimeInterval(900), on: Self.calendar)
        let paused = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: .default, warningShare: 0.8, warned: false, stepsFired: 0)
        #expect(paused.nextFireAt == nil && paused.dueAt == nil)
        try c.resume(at: Self.start.addingTimeInterval(5000), on: Self.calendar)
        let resumed = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: .default, warningShare: 0.8, warned: false, stepsFired: 0)
        #expect(resumed.warnAt == Self.start.addingTimeInterval(5000))
        #expect(resumed.dueAt == Self.start.addingTimeInterval(5100))
        try c.stop(at: Self.start.addingTimeInterval(5050), on: Self.calendar)
        let stopped = SLAClockSchedule(clock: c, calendar: Self.calendar, ladder: .default, warningShare: 0.8, warned: true, stepsFired: 0)
        #expect(stopped.nextFireAt == nil)
        #expect(c.state == .met)
    }

    @Test("ladder delays on a business calendar count working time after the due time")
    func ladderOnCalendar() {
        // Friday 16:00 Berlin (15:00Z), one working hour: due Friday 17:00, step 2 ten working
        // minutes later, on Monday at 09:10.
        let friday = ISO8601DateFormatter().date(from: "2026-11-20T15:00:00Z")!
        let c = SLAClock(metric: .firstResponse, targetSeconds: 3600, startedAt: friday)
        let s = SLAClockSchedule(clock: c, calendar: Self.office, ladder: Self.ladder, warningShare: 0.8, warned: true, stepsFired: 1)
        #expect(s.dueAt == ISO8601DateFormatter().date(from: "2026-11-20T16:00:00Z")!)
        #expect(s.nextStepAt == ISO8601DateFormatter().date(from: "2026-11-23T08:10:00Z")!)
    }

    // MARK: Durations and ladders

    @Test("durations as policy files write them")
    func durations() {
        #expect(SLADurationText.parse("15m") == .seconds(900))
        #expect(SLADurationText.parse("1h30m") == .seconds(5400))
        #expect(SLADurationText.parse("30d") == .seconds(30 * 86_400))
        #expect(SLADurationText.parse("3 working days") == .workingDays(3))
        #expect(SLADurationText.parse("2wd") == .workingDays(2))
        for bad in ["", "h", "2x", "-1h", "0m", "1h30", "working days"] { #expect(SLADurationText.parse(bad) == nil, "\(bad)") }
        for seconds in [1.0, 59, 900, 5400, 86_400, 90_061] {
            #expect(SLADurationText.parse(SLADurationText.format(seconds)) == .seconds(seconds))
        }
    }

    @Test("drills scale targets and fixed delays, not shares, and run around the clock")
    func scaling() {
        let sla = SLAConfiguration(
            warningShare: 0.8, calendars: ["office": Self.office],
            policies: [.init(level: .urgent, calendar: "office", targets: [.firstResponse: 7200])], defaultLadder: Self.ladder)
        let drill = sla.scaled(by: 0.001)
        #expect(drill.policies[0].targets[.firstResponse] == 7.2)
        #expect(drill.calendars["office"]!.alwaysOpen)
        #expect(drill.defaultLadder.offset(ofStep: 2, targetSeconds: 7.2) == 0.6)
        #expect(drill.defaultLadder.offset(ofStep: 3, targetSeconds: 7.2) == 7.2)
        #expect(drill.fingerprint != sla.fingerprint)
    }
}
