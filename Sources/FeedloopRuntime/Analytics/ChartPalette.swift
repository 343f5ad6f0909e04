/// The colours and font of every chart, in one place so that the dashboard, the HTML report
/// and the charts agree. The series colours are the Okabe–Ito palette, told apart also by
/// readers with colour-blindness; "up" and "down" are blue and vermilion for the same reason.
public enum ChartPalette {
    /// Series colours, used in order and repeated.
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
    /// A highlighted bar (the three lowest satisfaction dimensions).
    public static let highlight = "#D55E00"
    public static let good = "#009E73"
    public static let bad = "#D55E00"
    public static let neutral = "#999999"
    public static let text = "#222222"
    public static let mutedText = "#666666"
    public static let grid = "#DDDDDD"
    /// Fonts installed with the system (Noto CJK on Debian for Chinese); never a web font, so
    /// that the charts render offline.
    public static let fontFamily = "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

    /// The colour of series `index`.
    public static func color(_ index: Int) -> String { series[index % series.count] }
}
