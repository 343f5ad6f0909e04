import FeedloopCore
import Foundation
import PropertyBased
import Testing

/// Property-based checks of the calendar math behind every SLA deadline, over calendars with
/// split shifts, night shifts across midnight, weekends, holidays, make-up days (调休) and
/// daylight-saving changes, and starts spread over a whole year.
@Suite("SLA calendar properties")
struct SLACalendarPropertyTests {
    static let split = [WorkingPeriod("09:00-12:00")!, WorkingPeriod("13:30-18:00")!]
    static let night = [WorkingPeriod("00:00-06:00")!, WorkingPeriod("22:00-24:00")!]

    static let calendars: [BusinessCalendar] = [
        BusinessCalendar(
            id: "cn", timeZone: TimeZone(identifier: "Asia/Shanghai")!, weekly: [split, split, split, split, split, [], []],
            holidays: Set(["2026-10-01", "2026-10-02", "2026-10-05", "2026-02-17"].map { LocalDate($0)! }),
            makeUpDays: Set(["2026-09-20", "2026-10-10", "2026-02-14"].map { LocalDate($0)! })),
        // Daylight saving in both directions (2026-03-29 and 2026-10-25), with a night shift that
        // crosses midnight and the 02:00–03:00 hour that is skipped or repeated.
        BusinessCalendar(
            id: "berlin-night", timeZone: TimeZone(identifier: "Europe/Berlin")!, weekly: Array(repeating: night, count: 7),
            holidays: [LocalDate("2026-12-25")!]),
        BusinessCalendar(
            id: "new-york", timeZone: TimeZone(identifier: "America/New_York")!,
            weekly: [split, split, split, split, split, [WorkingPeriod("10:00-14:00")!], []], holidays: [LocalDate("2026-11-26")!]),
        .twentyFourSeven(),
    ]

    /// 2026-01-01T00:00:00Z; starts fall anywhere in the following year.
    static let yearStart = Date(timeIntervalSince1970: 1_767_225_600)
    static let calendarIndex = Gen.int(in: 0...3)
    static let startOffset = Gen.int(in: 0...(365 * 86_400))
    /// Up to 300 working hours, to the second.
    static let workingSeconds = Gen.int(in: 1...(300 * 3600))

    @Test("adding working time then measuring it back gives the same duration")
    func addThenMeasure() async {
        await propertyCheck(count: 300, input: Self.calendarIndex, Self.startOffset, Self.workingSeconds) { index, offset, seconds in
            let calendar = Self.calendars[index]
            let start = Self.yearStart.addingTimeInterval(TimeInterval(offset))
            let due = calendar.adding(TimeInterval(seconds), to: start)
            #expect(due > start)
            #expect(abs(calendar.workingSeconds(from: start, to: due) - TimeInterval(seconds)) < 0.001, "\(calendar.id) from \(start)")
        }
    }

    @Test("a deadline falls in working time, and one second less is still before it")
    func deadlineIsWorkingTime() async {
        await propertyCheck(count: 300, input: Self.calendarIndex, Self.startOffset, Self.workingSeconds) { index, offset, seconds in
            let calendar = Self.calendars[index]
            let start = Self.yearStart.addingTimeInterval(TimeInterval(offset))
            let due = calendar.adding(TimeInterval(seconds), to: start)
            // The last working second before the deadline is working time.
            #expect(calendar.isWorking(at: due.addingTimeInterval(-0.5)), "\(calendar.id) due \(due)")
            #expect(calendar.adding(TimeInterval(seconds - 1), to: start) < due)
        }
    }

    @Test("adding is additive: a + b from a start equals b from where a ended")
    func additive() async {
        await propertyCheck(count: 200, input: Self.calendarIndex, Self.startOffset, Self.workingSeconds, Self.workingSeconds) { index, offset, a, b in
            let calendar = Self.calendars[index]
            let start = Self.yearStart.addingTimeInterval(TimeInterval(offset))
            let whole = calendar.adding(TimeInterval(a + b), to: start)
            let parts = calendar.adding(TimeInterval(b), to: calendar.adding(TimeInterval(a), to: start))
            #expect(abs(whole.timeIntervalSince(parts)) < 0.001)
        }
    }

    @Test("measured working time never exceeds wall time and splits at any point")
    func measureSplits() async {
        await propertyCheck(count: 200, input: Self.calendarIndex, Self.startOffset, Self.workingSeconds, Gen.int(in: 0...1000)) { index, offset, length, cut in
            let calendar = Self.calendars[index]
            let start = Self.yearStart.addingTimeInterval(TimeInterval(offset))
            let end = start.addingTimeInterval(TimeInterval(length))
            let middle = start.addingTimeInterval(TimeInterval(length) * Double(cut) / 1000)
            let whole = calendar.workingSeconds(from: start, to: end)
            #expect(whole <= TimeInterval(length) + 0.001)
            #expect(abs(whole - calendar.workingSeconds(from: start, to: middle) - calendar.workingSeconds(from: middle, to: end)) < 0.001)
        }
    }

    @Test("a night shift spans midnight and both daylight-saving changes in Berlin")
    func berlinNightShift() {
        let berlin = Self.calendars[1]
        func at(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }
        // Saturday 28 March 22:00 CET: 2 h to midnight, then 00:00–06:00 on the night the
        // clocks skip 02:00–03:00, which has 5 real hours.
        #expect(berlin.workingSeconds(from: at("2026-03-28T21:00:00Z"), to: at("2026-03-29T04:00:00Z")) == 7 * 3600)
        // 25 October: 02:00–03:00 happens twice, so the night has 7 real hours.
        #expect(berlin.workingSeconds(from: at("2026-10-24T20:00:00Z"), to: at("2026-10-25T05:00:00Z")) == 9 * 3600)
        // Christmas Day has no night shift; its eve's ends at midnight and the 26th's starts at 00:00.
        #expect(berlin.adding(3600, to: at("2026-12-24T22:30:00Z")) == at("2026-12-25T23:30:00Z"))
    }

    @Test("three working days on an office calendar skip a holiday week and work a make-up Saturday")
    func workingDaysAcrossNationalDay() {
        let china = Self.calendars[0]
        #expect(china.workingDaySeconds == 7.5 * 3600)
        let days = SLADurationText.Value.workingDays(3).seconds(on: china)
        // Wednesday 30 September 2026, 17:00 Shanghai: one hour that day; 1, 2 and 5 October
        // are holidays and 3–4 a weekend; 6 and 7 October give 15 hours; the last 6.5 hours
        // end on Thursday 8 October at 17:00.
        let start = ISO8601DateFormatter().date(from: "2026-09-30T09:00:00Z")!
        let due = china.adding(days, to: start)
        #expect(china.workingSeconds(from: start, to: due) == days)
        #expect(due == ISO8601DateFormatter().date(from: "2026-10-08T09:00:00Z")!)
    }
}
