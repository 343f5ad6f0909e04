import Foundation

/// A daily window (in one time zone) during which customers are not messaged: a customer
/// notification that falls due inside it is held until the window ends. `22:00-08:00` spans
/// midnight.
public struct QuietHours: Sendable, Equatable {
    /// Minutes after midnight.
    public var start: Int
    public var end: Int
    public var timeZone: TimeZone

    /// Parses `HH:MM-HH:MM`; `variable` names the setting in the error.
    public init(parsing text: String, timeZone: TimeZone, variable: String = "FEEDLOOP_QUIET_HOURS") throws {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]) else {
            throw ConfigurationError(variable: variable, reason: "expected HH:MM-HH:MM (e.g. 22:00-08:00), got '\(text)'")
        }
        guard start != end else { throw ConfigurationError(variable: variable, reason: "start and end are both \(parts[0])") }
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// When a message due at `date` may go out: nil when `date` is outside the window, else the
    /// window's end.
    public func holdUntil(_ date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let quiet = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard quiet else { return nil }
        return calendar.nextDate(
            after: date, matching: DateComponents(hour: end / 60, minute: end % 60, second: 0), matchingPolicy: .nextTime
        )
    }

    static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
