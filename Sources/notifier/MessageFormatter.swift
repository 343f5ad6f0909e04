import FeedloopCore
import Foundation

/// Dates, durations and names as a message in one locale shows them: Chinese for `zh*`
/// locales, English otherwise, dates in the routing's time zone.
struct MessageFormatter: Sendable {
    let locale: String
    let timeZone: TimeZone

    var isChinese: Bool { locale.lowercased().hasPrefix("zh") }

    /// `2026-11-23 16:15 (GMT+8)`: unambiguous in both languages.
    func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let hours = offset / 3600
        let minutes = abs(offset % 3600) / 60
        let zone = offset == 0 ? "UTC" : "GMT\(hours >= 0 ? "+" : "-")\(abs(hours))" + (minutes == 0 ? "" : String(format: ":%02d", minutes))
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0) + " (\(zone))"
    }

    /// `2 天 3 小时` / `2 d 3 h`; `15 分钟` / `15 min`; whole minutes, the two largest units.
    func duration(seconds: Double) -> String {
        let total = max(0, Int((seconds / 60).rounded()))
        let parts = [(total / 1440, isChinese ? "天" : "d"), (total % 1440 / 60, isChinese ? "小时" : "h"), (total % 60, isChinese ? "分钟" : "min")]
        let shown = parts.drop { $0.0 == 0 }.prefix(2).filter { $0.0 > 0 }
        if shown.isEmpty { return isChinese ? "不到 1 分钟" : "less than a minute" }
        return shown.map { "\($0.0) \($0.1)" }.joined(separator: " ")
    }

    func metric(_ metric: SLAMetric) -> String {
        switch metric {
        case .firstResponse: return isChinese ? "首次响应" : "first response"
        case .plan: return isChinese ? "整改方案" : "rectification plan"
        case .resolution: return isChinese ? "解决" : "resolution"
        }
    }

    func level(_ level: Level?) -> String {
        guard let level else { return isChinese ? "未分级" : "not graded" }
        switch level {
        case .urgent: return isChinese ? "一级（紧急）" : "level 1 (urgent)"
        case .important: return isChinese ? "二级（重要）" : "level 2 (important)"
        case .general: return isChinese ? "三级（一般）" : "level 3 (general)"
        }
    }

    /// The ladder roles in words; a person's id stays as it is.
    func role(_ role: String) -> String {
        switch role {
        case "assignee": return isChinese ? "处理人" : "assignee"
        case "team_lead": return isChinese ? "组长" : "team lead"
        case "department_head": return isChinese ? "部门负责人" : "department head"
        case "director": return isChinese ? "总监" : "director"
        default: return role
        }
    }
}
