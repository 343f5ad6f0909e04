import Foundation

/// Day arithmetic on ``LocalDate``: what report periods and ISO weeks are built from.
extension LocalDate {
    /// The date `days` days after 1970-01-01 (before it when negative), by the days-to-civil
    /// algorithm (the inverse of ``daysSinceEpoch``).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Days since 1970-01-01, public for report arithmetic.
    public var dayNumber: Int { self.daysSinceEpoch }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: self.daysSinceEpoch + days)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int {
        other.daysSinceEpoch - self.daysSinceEpoch
    }

    /// The number of days in this date's month.
    public var monthLength: Int { self.daysInMonth }

    /// Local midnight of this day in `timeZone` (the first instant after a skipped midnight).
    public func startInstant(in timeZone: TimeZone) -> Date {
        self.instant(atMinute: 0, in: timeZone)
    }
}
