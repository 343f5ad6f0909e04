import Foundation

/// SLA durations as people write them in policy files: `15m`, `2h`, `1h30m`, `30d`, `45s`, or
/// `3 working days` (which depends on the policy's calendar, so it stays symbolic until the
/// calendar is known).
public enum SLADurationText {
    public enum Value: Hashable, Sendable {
        case seconds(Double)
        /// Whole working days of the calendar: a calendar's working day is its longest weekday.
        case workingDays(Double)

        /// Seconds of working time on `calendar`.
        public func seconds(on calendar: BusinessCalendar) -> Double {
            switch self {
            case .seconds(let s): return s
            case .workingDays(let d): return d * calendar.workingDaySeconds
            }
        }
    }

    /// Parses a duration; nil when it is not one of the forms above or is not positive.
    public static func parse(_ raw: String) -> Value? {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in [" working days", " working day", "wd"] where text.hasSuffix(suffix) {
            guard let n = Double(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0, n.isFinite else { return nil }
            return .workingDays(n)
        }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for ch in text where ch != " " {
            if ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            let unit: Double
            switch ch {
            case "d": unit = 86_400
            case "h": unit = 3_600
            case "m": unit = 60
            case "s": unit = 1
            default: return nil
            }
            guard let n = Double(number) else { return nil }
            total += n * unit
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty, total > 0 else { return nil }
        return .seconds(total)
    }

    /// Seconds written the shortest way `parse` reads back: `2h`, `1h30m`, `15m`, `45s`.
    public static func format(_ seconds: Double) -> String {
        guard seconds > 0 else { return "0s" }
        if seconds != seconds.rounded() { return "\(number(seconds))s" }
        var rest = Int(seconds)
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    /// A number without a trailing `.0`.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension BusinessCalendar {
    /// The working time of the calendar's longest weekday: what "a working day" means in
    /// targets such as `3 working days`. 24 hours on a 24×7 calendar.
    public var workingDaySeconds: Double {
        if alwaysOpen { return 86_400 }
        let days = weekly.map { periods in periods.reduce(0) { $0 + $1.minutes } }
        return Double(days.max() ?? 0) * 60
    }
}
