/// An ISO 8601 week: weeks start on Monday and week 1 is the one holding the year's first
/// Thursday, so 2026-W01 starts on 2025-12-29 and some years (2020) have a week 53.
public struct ISOWeek: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// The week `date` falls in.
    public init(containing date: LocalDate) {
        // The Thursday of the date's week decides the year.
        let thursday = date.adding(days: 4 - date.isoWeekday)
        let firstOfYear = LocalDate(year: thursday.year, month: 1, day: 1)
        self.init(year: thursday.year, week: firstOfYear.days(to: thursday) / 7 + 1)
    }

    /// The number of weeks in an ISO year: 53 when it starts or (leap years) ends on a Thursday.
    public static func weeks(inYear year: Int) -> Int {
        ISOWeek(containing: LocalDate(year: year, month: 12, day: 28)).week
    }

    /// The Monday the week starts on.
    public var monday: LocalDate {
        let jan4 = LocalDate(year: year, month: 1, day: 4)
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    /// The Sunday the week ends on.
    public var sunday: LocalDate { monday.adding(days: 6) }

    /// `2026-W47`.
    public var description: String {
        String(year).leftPadded(4) + "-W" + String(week).leftPadded(2)
    }

    /// Parses `YYYY-Www`; nil for anything else or a week the year does not have.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3, parts[1].first == "W",
            parts[0].allSatisfy(\.isASCII), parts[1].dropFirst().allSatisfy(\.isASCII),
            let y = Int(parts[0]), let w = Int(parts[1].dropFirst()), y >= 1, w >= 1, w <= ISOWeek.weeks(inYear: y)
        else { return nil }
        self.init(year: y, week: w)
    }
}

extension String {
    /// Zero-padded to `width` digits.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
