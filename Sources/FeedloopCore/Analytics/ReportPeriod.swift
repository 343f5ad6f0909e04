import Foundation

/// The days a report covers, in one time zone: a day (`2026-11-23`), an ISO week
/// (`2026-W47`), a month (`2026-11`) or a custom range (`2026-11-01..2026-11-15`, inclusive).
///
/// Rollups are kept per day in the analytics time zone, so a period is a run of whole days;
/// ``startInstant`` and ``endInstant`` are the instants the raw-table recomputation uses.
public struct ReportPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case day, week, month, range
    }

    public var kind: Kind
    /// First day, inclusive.
    public var start: LocalDate
    /// Last day, inclusive.
    public var end: LocalDate
    /// IANA identifier of the time zone the days are counted in (`UTC`, `Asia/Shanghai`).
    public var timeZone: String

    public init(kind: Kind, start: LocalDate, end: LocalDate, timeZone: String) {
        self.kind = kind
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// The longest custom range accepted, in days.
    public static let maximumDays = 3660

    /// Parses `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `FROM..TO` (both `YYYY-MM-DD`, inclusive);
    /// the error says what was wrong with the text.
    public static func parse(_ text: String, timeZone: TimeZone) throws -> ReportPeriod {
        let tz = timeZone.identifier
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let range = trimmed.range(of: "..") {
            let from = String(trimmed[..<range.lowerBound])
            let to = String(trimmed[range.upperBound...])
            guard let a = LocalDate(from) else { throw ReportPeriodError(text: text, reason: "the range's start \"\(from)\" is not a date YYYY-MM-DD") }
            guard let b = LocalDate(to) else { throw ReportPeriodError(text: text, reason: "the range's end \"\(to)\" is not a date YYYY-MM-DD") }
            guard a <= b else { throw ReportPeriodError(text: text, reason: "the range ends before it starts") }
            guard a.days(to: b) < maximumDays else { throw ReportPeriodError(text: text, reason: "the range is longer than \(maximumDays) days") }
            return ReportPeriod(kind: .range, start: a, end: b, timeZone: tz)
        }
        if let day = LocalDate(trimmed) {
            return ReportPeriod(kind: .day, start: day, end: day, timeZone: tz)
        }
        if trimmed.contains("W") {
            guard let week = ISOWeek(trimmed) else {
                throw ReportPeriodError(text: text, reason: "not an ISO week YYYY-Www that the year has (week 1 to 52, or 53)")
            }
            return ReportPeriod(kind: .week, start: week.monday, end: week.sunday, timeZone: tz)
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), y >= 1 {
            guard (1...12).contains(m) else { throw ReportPeriodError(text: text, reason: "month \(m) does not exist") }
            let first = LocalDate(year: y, month: m, day: 1)
            return ReportPeriod(kind: .month, start: first, end: first.adding(days: first.monthLength - 1), timeZone: tz)
        }
        throw ReportPeriodError(
            text: text, reason: "expected a day YYYY-MM-DD, an ISO week YYYY-Www, a month YYYY-MM or a range YYYY-MM-DD..YYYY-MM-DD")
    }

    /// The number of days covered.
    public var dayCount: Int { start.days(to: end) + 1 }

    /// Every day of the period, in order.
    public var days: [LocalDate] { (0..<dayCount).map { start.adding(days: $0) } }

    /// The period of the same kind just before: the previous day, ISO week or month, or for a
    /// custom range the same number of days ending the day before it starts.
    public var previous: ReportPeriod {
        switch kind {
        case .day, .week, .range:
            return ReportPeriod(kind: kind, start: start.adding(days: -dayCount), end: start.adding(days: -1), timeZone: timeZone)
        case .month:
            let lastOfPrevious = start.adding(days: -1)
            let first = LocalDate(year: lastOfPrevious.year, month: lastOfPrevious.month, day: 1)
            return ReportPeriod(kind: .month, start: first, end: lastOfPrevious, timeZone: timeZone)
        }
    }

    /// Local midnight starting the first day.
    public var startInstant: Date { start.startInstant(in: zone) }

    /// Local midnight after the last day (exclusive).
    public var endInstant: Date { end.adding(days: 1).startInstant(in: zone) }

    /// The period's time zone (UTC if the identifier is unknown, which ``parse`` never produces).
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// The text ``parse`` reads back: `2026-11-23`, `2026-W47`, `2026-11`, `2026-11-01..2026-11-15`.
    public var label: String {
        switch kind {
        case .day: return start.description
        case .week: return ISOWeek(containing: start).description
        case .month: return String(start.year).leftPadded(4) + "-" + String(start.month).leftPadded(2)
        case .range: return "\(start)..\(end)"
        }
    }

    public var description: String { label }

    private enum CodingKeys: String, CodingKey {
        case kind, label, start, end, timeZone, days
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(label, forKey: .label)
        try c.encode(start.description, forKey: .start)
        try c.encode(end.description, forKey: .end)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(dayCount, forKey: .days)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decode(Kind.self, forKey: .kind)
        let start = try c.decode(String.self, forKey: .start)
        let end = try c.decode(String.self, forKey: .end)
        guard let s = LocalDate(start), let e = LocalDate(end) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "start and end must be dates YYYY-MM-DD")
        }
        self.start = s
        self.end = e
        self.timeZone = try c.decode(String.self, forKey: .timeZone)
    }
}

/// A period text that could not be read, with the reason.
public struct ReportPeriodError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "period \"\(text)\": \(reason)" }
}
