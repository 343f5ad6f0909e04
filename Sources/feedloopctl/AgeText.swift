/// Short human ages for tables: `45s`, `12m05s`, `3h07m`, `2d04h`.
enum AgeText {
    static func format(seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m\(pad(s % 60))s"
        case ..<86400: return "\(s / 3600)h\(pad(s % 3600 / 60))m"
        default: return "\(s / 86400)d\(pad(s % 86400 / 3600))h"
        }
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
