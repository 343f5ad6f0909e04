import FeedloopCore
import Foundation
import Testing

/// A seeded generator so that every run checks the same cases and a failure reproduces.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

private let shanghai = TimeZone(identifier: "Asia/Shanghai")!
private let newYork = TimeZone(identifier: "America/New_York")!
private let splitShift = [WorkingPeriod("09:00-12:00")!, WorkingPeriod("13:30-18:00")!]

/// Monday to Friday with a lunch break, National Day off, and a make-up Saturday.
private let china = BusinessCalendar(
    id: "cn", timeZone: shanghai, weekly: [splitShift, splitShift, splitShift, splitShift, splitShift, [], []],
    holidays: [LocalDate("2026-10-01")!, LocalDate("2026-10-02")!], makeUpDays: [LocalDate("2026-10-10")!]
)

@Suite("Business calendar")
struct BusinessCalendarTests {
    @Test("parses dates and periods and refuses malformed ones")
    func parsing() {
        #expect(LocalDate("2024-02-29") == LocalDate(year: 2024, month: 2, day: 29))
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("26-01-01") == nil)
        #expect(WorkingPeriod("09:00-12:00") == WorkingPeriod(start: 540, end: 720))
        #expect(WorkingPeriod("18:00-24:00")?.end == 1440)
        #expect(WorkingPeriod("12:00-09:00") == nil)
        #expect(WorkingPeriod("9:00-12:00") == nil)
        #expect(WorkingPeriod("09:60-12:00") == nil)
    }

    @Test("ISO weekdays across months, leap days and years")
    func weekdays() {
        #expect(LocalDate("1970-01-01")!.isoWeekday == 4)
        #expect(LocalDate("2026-11-23")!.isoWeekday == 1)
        #expect(LocalDate("2024-02-29")!.isoWeekday == 4)
        #expect(LocalDate("2000-01-01")!.isoWeekday == 6)
        #expect(LocalDate("2026-12-31")!.next == LocalDate("2027-01-01"))
        #expect(LocalDate("2024-02-28")!.next == LocalDate("2024-02-29"))
    }

    @Test("a deadline that runs past the end of Friday continues on Monday morning")
    func acrossWeekend() {
        // Friday 17:00 in Shanghai plus 2 working hours: 1 h on Friday, 1 h on Monday.
        #expect(china.adding(2 * 3600, to: at("2026-11-20T09:00:00Z")) == at("2026-11-23T02:00:00Z"))
    }

    @Test("the lunch break of a split shift does not count")
    func splitShiftBreak() {
        // Monday 10:00 plus 4 h: 10:00–12:00, then 13:30–15:30.
        #expect(china.adding(4 * 3600, to: at("2026-11-23T02:00:00Z")) == at("2026-11-23T07:30:00Z"))
        // Starting in the break counts from 13:30.
        #expect(china.adding(1800, to: at("2026-11-23T04:30:00Z")) == at("2026-11-23T06:00:00Z"))
    }

    @Test("a start at night counts from the next opening, across midnight")
    func acrossMidnight() {
        // Tuesday 23:00 local plus 1 h: Wednesday 10:00.
        #expect(china.adding(3600, to: at("2026-11-24T15:00:00Z")) == at("2026-11-25T02:00:00Z"))
    }

    @Test("holidays are skipped and make-up Saturdays are worked")
    func holidaysAndMakeUpDays() {
        // Wednesday 2026-09-30 17:00 plus 2 h: 1 h that day; Oct 1–2 holidays, Oct 3–4 weekend,
        // Monday Oct 5 09:00 + 1 h.
        #expect(china.adding(2 * 3600, to: at("2026-09-30T09:00:00Z")) == at("2026-10-05T02:00:00Z"))
        // Friday Oct 9 17:00 plus 2 h: 1 h that day, then the make-up Saturday Oct 10 at 10:00.
        #expect(china.adding(2 * 3600, to: at("2026-10-09T09:00:00Z")) == at("2026-10-10T02:00:00Z"))
        #expect(china.isWorking(at: at("2026-10-10T02:00:00Z")))
        #expect(!china.isWorking(at: at("2026-10-01T02:00:00Z")))
    }

    @Test("a working day across a daylight-saving change has its wall-clock hours")
    func daylightSaving() {
        let always = BusinessCalendar(id: "ny", timeZone: newYork, weekly: Array(repeating: [WorkingPeriod("00:00-24:00")!], count: 7))
        // 2026-03-08 springs forward: the local day has 23 hours; 2026-11-01 falls back: 25.
        #expect(always.workingSeconds(from: at("2026-03-08T05:00:00Z"), to: at("2026-03-09T04:00:00Z")) == 23 * 3600)
        #expect(always.workingSeconds(from: at("2026-11-01T04:00:00Z"), to: at("2026-11-02T05:00:00Z")) == 25 * 3600)
        // 09:00–17:00 is 8 working hours both before and after the change, at different UTC times.
        let office = BusinessCalendar(id: "ny-office", timeZone: newYork, weekly: Array(repeating: [WorkingPeriod("09:00-17:00")!], count: 7))
        #expect(office.adding(8 * 3600 + 3600, to: at("2026-03-07T14:00:00Z")) == at("2026-03-08T14:00:00Z"))
    }

    @Test("24×7 counts every second")
    func alwaysOpen() {
        let always = BusinessCalendar.twentyFourSeven()
        let start = at("2026-11-21T23:59:00Z")
        #expect(always.adding(90, to: start) == start.addingTimeInterval(90))
        #expect(always.workingSeconds(from: start, to: start.addingTimeInterval(-60)) == -60)
    }

    @Test("adding working time then measuring it back gives the same duration", arguments: [china, .twentyFourSeven()])
    func addThenMeasure(calendar: BusinessCalendar) {
        var rng = SplitMix64(state: 20_261_123)
        for _ in 0..<1000 {
            let start = Date(timeIntervalSince1970: Double.random(in: 1.7e9...1.8e9, using: &rng).rounded())
            let seconds = Double(Int.random(in: 0...(30 * 86_400), using: &rng))
            let due = calendar.adding(seconds, to: start)
            #expect(due >= start)
            #expect(calendar.workingSeconds(from: start, to: due) == seconds, "start \(start), \(seconds) s")
            if seconds > 0 { #expect(calendar.isWorking(at: due.addingTimeInterval(-0.5))) }
        }
    }

    @Test("working time is additive over any split point")
    func additive() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<500 {
            let a = Date(timeIntervalSince1970: Double.random(in: 1.7e9...1.8e9, using: &rng).rounded())
            let b = a.addingTimeInterval(Double.random(in: 0...(10 * 86_400), using: &rng).rounded())
            let c = b.addingTimeInterval(Double.random(in: 0...(10 * 86_400), using: &rng).rounded())
            #expect(china.workingSeconds(from: a, to: b) + china.workingSeconds(from: b, to: c) == china.workingSeconds(from: a, to: c))
        }
    }

    @Test("validation names overlapping periods, an empty week and conflicting days")
    func validation() {
        var bad = china
        bad.weekly[0] = [WorkingPeriod(start: 540, end: 720), WorkingPeriod(start: 700, end: 800)]
        bad.makeUpDays.insert(LocalDate("2026-10-01")!)
        #expect(
            bad.validate() == [
                "calendar cn weekday 1: periods 09:00-12:00 and 11:40-13:20 overlap",
                "calendar cn: 2026-10-01 is both a holiday and a make-up working day",
            ])
        let empty = BusinessCalendar(id: "none", timeZone: shanghai, weekly: Array(repeating: [], count: 7))
        #expect(empty.validate() == ["calendar none has no working time in its week"])
        #expect(china.validate().isEmpty)
    }
}
