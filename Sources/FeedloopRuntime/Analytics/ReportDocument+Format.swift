import FeedloopCore
import Foundation

extension ReportDocument {
    /// What a figure counts, which decides how it is written.
    public enum Measure: Sendable {
        /// Whole numbers: `1,234`.
        case count
        /// A fraction 0…1 written as a percentage, its change in percentage points.
        case share
        /// Seconds, written in minutes, hours or days.
        case duration
        /// A mean 1–5 score: `4.12`.
        case score
        /// −100…100: `+32.0`.
        case nps
        /// Cronbach's α: `0.82`.
        case alpha
    }

    /// Whether a rise is good news (resolved, compliance, CSAT), bad news (overdue, times) or
    /// neither (received): it colours the change, the arrow always says up or down.
    public enum Polarity: Sendable {
        case higherIsBetter, lowerIsBetter, neutral
    }

    /// How a change reads: `good`, `bad` or `neutral` (also the CSS class on the dashboard).
    public enum Tone: String, Sendable {
        case good, bad, neutral
    }

    /// One labelled figure of a table or a dashboard tile.
    public struct FigureLine: Sendable {
        /// The CSV name (`received`, `still_open`, `csat`, …).
        public var id: String
        public var label: String
        public var figure: Figure
        public var measure: Measure
        public var polarity: Polarity

        public init(_ id: String, _ label: String, _ figure: Figure, _ measure: Measure, _ polarity: Polarity) {
            self.id = id
            self.label = label
            self.figure = figure
            self.measure = measure
            self.polarity = polarity
        }
    }

    /// The text for an undefined value.
    public static let dash = "—"

    /// `value` written as its measure; ``dash`` when nil.
    public static func format(_ value: Double?, _ measure: Measure, _ labels: Labels) -> String {
        guard let value, value.isFinite else { return dash }
        switch measure {
        case .count: return grouped(Int64(value.rounded()))
        case .share: return fixed(value * 100, 1) + "%"
        case .duration: return duration(value, labels)
        case .score: return fixed(value, 2)
        case .nps: return (value > 0 ? "+" : "") + fixed(value, 1)
        case .alpha: return fixed(value, 2)
        }
    }

    /// The change against the previous period with an arrow: `▲ 12 (+8.5%)`, `▼ 3.2 pp`,
    /// `▲ 1.5 h`; `= no change` when flat, ``dash`` when either value is undefined.
    public static func change(_ figure: Figure, _ measure: Measure, _ labels: Labels) -> String {
        guard let change = figure.change, change.isFinite else { return dash }
        if figure.direction == .flat { return "= " + labels[.flat] }
        let arrow = change > 0 ? "▲" : "▼"
        let size = abs(change)
        switch measure {
        case .count:
            let relative = figure.relativeChange.map { " (" + ($0 > 0 ? "+" : "−") + fixed(abs($0) * 100, 1) + "%)" } ?? ""
            return "\(arrow) \(grouped(Int64(size.rounded())))\(relative)"
        case .share: return "\(arrow) \(fixed(size * 100, 1)) \(labels[.percentagePoints])"
        case .duration: return "\(arrow) \(duration(size, labels))"
        case .score, .alpha: return "\(arrow) \(fixed(size, 2))"
        case .nps: return "\(arrow) \(fixed(size, 1))"
        }
    }

    /// Whether the figure's change is good or bad news.
    public static func tone(_ figure: Figure, _ polarity: Polarity) -> Tone {
        switch (figure.direction, polarity) {
        case (.flat, _), (_, .neutral): .neutral
        case (.up, .higherIsBetter), (.down, .lowerIsBetter): .good
        case (.up, .lowerIsBetter), (.down, .higherIsBetter): .bad
        }
    }

    /// Seconds as `40 s`, `45 min`, `3.2 h` or `2.1 d` (Chinese: 秒, 分钟, 小时, 天).
    public static func duration(_ seconds: Double, _ labels: Labels) -> String {
        let zh = labels.language == .zh
        if seconds < 90 { return fixed(seconds, 0) + (zh ? " 秒" : " s") }
        if seconds < 90 * 60 { return fixed(seconds / 60, 0) + (zh ? " 分钟" : " min") }
        if seconds < 48 * 3600 { return fixed(seconds / 3600, 1) + (zh ? " 小时" : " h") }
        return fixed(seconds / 86400, 1) + (zh ? " 天" : " d")
    }

    /// `value` with `decimals` digits after the point, independent of the locale; never `-0`.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
    }

    /// `1234567` as `1,234,567`.
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
