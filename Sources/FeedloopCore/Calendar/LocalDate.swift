import Foundation

/// A day on a wall calendar, without a time zone: what holidays and make-up working days are
/// written as, so that a holiday is the same day wherever the server runs.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or a day that does not exist.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let candidate = LocalDate(year: y, month: m, day: d)
        guard (1...12).contains(m), (1...candidate.daysInMonth).contains(d) else { return nil }
        self = candidate
    }

    /// The date `instant` falls on in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let c = Self.gregorian(timeZone).dateComponents([.year, .month, .day], from: instant)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var isoWeekday: Int {
        // Days since 1970-01-01, a Thursday (ISO 4).
        let days = self.daysSinceEpoch
        return ((days % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// The next calendar day.
    public var next: LocalDate {
        if day < daysInMonth { return LocalDate(year: year, month: month, day: day + 1) }
        if month < 12 { return LocalDate(year: year, month: month + 1, day: 1) }
        return LocalDate(year: year + 1, month: 1, day: 1)
    }

    var isLeapYear: Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    var daysInMonth: Int {
        switch month {
        case 2: return isLeapYear ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 (negative before), by the civil-from-days algorithm.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The instant of `minute` minutes after local midnight of this day in `timeZone`.
    ///
    /// A local time that does not exist (skipped by a daylight-saving change) maps to the first
    /// instant after the gap; one that exists twice maps to its first occurrence.
    func instant(atMinute minute: Int, in timeZone: TimeZone) -> Date {
        var c = DateComponents()
        c.year = year
        c.month = month
        c.day = day
        if minute >= 24 * 60 {
            // End of day: midnight of the next day.
            return next.instant(atMinute: minute - 24 * 60, in: timeZone)
        }
        c.hour = minute / 60
        c.minute = minute % 60
        let calendar = Self.gregorian(timeZone)
        return calendar.date(from: c)!
    }

    static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
