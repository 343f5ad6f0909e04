import Foundation

/// The inclusive range of UTC days a report covers.
struct ReportDateRange: Equatable {
    /// Days in the default range, ending today.
    static let defaultDays = 30

    var from: String
    var to: String

    /// Why a range was refused, naming the parameter.
    struct Invalid: Error {
        var parameter: String
        var reason: String
    }

    /// Parses `from` and `to` (`YYYY-MM-DD`, both optional). Missing ends default to today and
    /// to the 30 days ending at `to`.
    static func parse(from rawFrom: String?, to rawTo: String?, today: Date = Date()) throws -> ReportDateRange {
        let to = try rawTo.map { try parseDay($0, parameter: "to") } ?? calendar.startOfDay(for: today)
        let from =
            try rawFrom.map { try parseDay($0, parameter: "from") }
            ?? calendar.date(byAdding: .day, value: -(defaultDays - 1), to: to)!
        guard from <= to else {
            throw Invalid(parameter: "from", reason: "must not be after to")
        }
        return ReportDateRange(from: format(from), to: format(to))
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Strict `YYYY-MM-DD` of a real calendar day (2026-02-30 is refused, not rolled over).
    static func parseDay(_ text: String, parameter: String) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let invalid = Invalid(parameter: parameter, reason: "must be a date as YYYY-MM-DD")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), y >= 1
        else { throw invalid }
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else {
            throw Invalid(parameter: parameter, reason: "is not a calendar date")
        }
        return date
    }

    static func format(_ date: Date) -> String {
        let d = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }
}
