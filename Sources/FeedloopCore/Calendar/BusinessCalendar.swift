import Foundation

/// When a company works: an IANA time zone, working periods per weekday (several a day for
/// split shifts), holidays, and make-up working days (调休: a weekend day that is worked) — or
/// around the clock. SLA targets are measured in this calendar's working time.
///
/// Every computation goes through local dates of ``timeZone``, so holidays fall on the right
/// day wherever the server runs, and a working day across a daylight-saving change has the
/// working hours its wall clock shows.
public struct BusinessCalendar: Hashable, Sendable {
    /// Name that policies refer to.
    public var id: String
    public var timeZone: TimeZone
    /// Working periods by ISO weekday: index 0 is Monday, 6 Sunday. Ignored when ``alwaysOpen``.
    public var weekly: [[WorkingPeriod]]
    /// Days with no working time.
    public var holidays: Set<LocalDate>
    /// Days worked although the weekly schedule rests (调休), with ``makeUpHours``.
    public var makeUpDays: Set<LocalDate>
    /// The working periods of a make-up day; usually those of a normal weekday.
    public var makeUpHours: [WorkingPeriod]
    /// 24×7: every instant is working time.
    public var alwaysOpen: Bool

    /// How far ahead a deadline is searched for; a calendar with no working time in this many
    /// days is refused by ``validate()``.
    static let searchDays = 3 * 366

    public init(
        id: String, timeZone: TimeZone, weekly: [[WorkingPeriod]], holidays: Set<LocalDate> = [],
        makeUpDays: Set<LocalDate> = [], makeUpHours: [WorkingPeriod]? = nil
    ) {
        self.id = id
        self.timeZone = timeZone
        self.weekly = weekly.map { $0.sorted() }
        self.holidays = holidays
        self.makeUpDays = makeUpDays
        self.makeUpHours = (makeUpHours ?? weekly.first ?? []).sorted()
        self.alwaysOpen = false
    }

    /// A calendar on which every instant counts.
    public static func twentyFourSeven(id: String = "24x7", timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> BusinessCalendar {
        var calendar = BusinessCalendar(id: id, timeZone: timeZone, weekly: Array(repeating: [], count: 7))
        calendar.alwaysOpen = true
        return calendar
    }

    /// Problems that would make deadlines wrong or impossible, one readable line each.
    public func validate() -> [String] {
        guard !alwaysOpen else { return [] }
        var problems: [String] = []
        if weekly.count != 7 {
            problems.append("calendar \(id): the week needs 7 days, got \(weekly.count)")
        }
        for (i, periods) in weekly.enumerated() {
            problems += Self.overlaps(periods, what: "calendar \(id) weekday \(i + 1)")
        }
        problems += Self.overlaps(makeUpHours, what: "calendar \(id) make-up hours")
        if weekly.allSatisfy(\.isEmpty) {
            problems.append("calendar \(id) has no working time in its week")
        }
        for day in holidays.intersection(makeUpDays).sorted() {
            problems.append("calendar \(id): \(day) is both a holiday and a make-up working day")
        }
        if !makeUpDays.isEmpty && makeUpHours.isEmpty {
            problems.append("calendar \(id) has make-up days but no make-up hours")
        }
        return problems
    }

    private static func overlaps(_ periods: [WorkingPeriod], what: String) -> [String] {
        var problems: [String] = []
        for p in periods where p.start >= p.end || p.start < 0 || p.end > 24 * 60 {
            problems.append("\(what): period \(p) is empty or outside the day")
        }
        for (a, b) in zip(periods, periods.dropFirst()) where b.start < a.end {
            problems.append("\(what): periods \(a) and \(b) overlap")
        }
        return problems
    }

    /// The working periods of `day`: a make-up day's hours, none on a holiday, else the week's.
    public func periods(on day: LocalDate) -> [WorkingPeriod] {
        if alwaysOpen { return [WorkingPeriod(start: 0, end: 24 * 60)] }
        if makeUpDays.contains(day) { return makeUpHours }
        if holidays.contains(day) { return [] }
        return weekly[day.isoWeekday - 1]
    }

    /// The working intervals of `day` as instants, in order.
    func intervals(on day: LocalDate) -> [Range<Date>] {
        periods(on: day).compactMap { p in
            let s = day.instant(atMinute: p.start, in: timeZone)
            let e = day.instant(atMinute: p.end, in: timeZone)
            // A period wholly inside a daylight-saving gap has no instants.
            return s < e ? s..<e : nil
        }
    }

    /// Whether `instant` is working time.
    public func isWorking(at instant: Date) -> Bool {
        if alwaysOpen { return true }
        return intervals(on: LocalDate(instant, in: timeZone)).contains { $0.contains(instant) }
    }

    /// The instant at which `seconds` of working time after `start` have passed: the deadline
    /// of a target of that length started at `start`. A start outside working hours begins
    /// counting at the next working instant.
    public func adding(_ seconds: TimeInterval, to start: Date) -> Date {
        precondition(seconds >= 0, "working time to add must not be negative")
        if alwaysOpen || seconds == 0 { return start.addingTimeInterval(seconds) }
        var remaining = seconds
        var day = LocalDate(start, in: timeZone)
        for _ in 0..<Self.searchDays {
            for interval in intervals(on: day) where interval.upperBound > start {
                let from = max(interval.lowerBound, start)
                let available = interval.upperBound.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = day.next
        }
        // validate() refuses calendars without working time, so this is a calendar with less
        // working time in three years than the target: treat it as never due.
        return .distantFuture
    }

    /// Working time between two instants; negative when `end` is before `start`.
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        if end < start { return -workingSeconds(from: end, to: start) }
        if alwaysOpen { return end.timeIntervalSince(start) }
        var total: TimeInterval = 0
        var day = LocalDate(start, in: timeZone)
        let last = LocalDate(end, in: timeZone)
        while day <= last {
            for interval in intervals(on: day) {
                let from = max(interval.lowerBound, start)
                let to = min(interval.upperBound, end)
                if from < to { total += to.timeIntervalSince(from) }
            }
            day = day.next
        }
        return total
    }
}
