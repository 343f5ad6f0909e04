/// Horizontal bars split into coloured segments with a legend: SLA compliance per metric and
/// level (met / breached), escalations per ladder step and metric.
public struct SVGStackedBarChart: Sendable {
    /// One bar: a value per series, in the order of ``SVGStackedBarChart/series``.
    public struct Row: Sendable, Equatable {
        public var label: String
        public var values: [Double]
        /// Printed after the bar (e.g. the compliance rate); the total when nil.
        public var note: String?

        public init(label: String, values: [Double], note: String? = nil) {
            self.label = label
            self.values = values
            self.note = note
        }
    }

    public var title: String
    /// Series names, shown in the legend.
    public var series: [String]
    /// Series colours; ``ChartPalette/series`` when empty.
    public var colors: [String]
    public var rows: [Row]
    /// When true every bar is drawn as shares of its own total (100 % wide).
    public var normalized: Bool
    public var emptyText: String
    /// Counts: axis ticks at whole numbers only.
    public var wholeNumbers = false
    public var width: Double = 560
    public var barHeight: Double = 20

    public init(title: String, series: [String], colors: [String] = [], rows: [Row], normalized: Bool = false, emptyText: String) {
        self.title = title
        self.series = series
        self.colors = colors
        self.rows = rows
        self.normalized = normalized
        self.emptyText = emptyText
    }

    func color(_ index: Int) -> String { index < self.colors.count ? self.colors[index] : ChartPalette.color(index) }

    /// The chart as `<svg data-chart="stacked-bar">`; each bar is a `g` with `data-bar`, each
    /// non-empty segment a `rect` with `data-series`.
    public func render() -> String {
        let totals = self.rows.map { $0.values.reduce(0) { $0 + max($1, 0) } }
        let labelWidth = min(200, max(60, self.rows.map { SVGTextWidth.estimate($0.label, size: 12) }.max() ?? 0) + 12)
        let noteWidth = 70.0
        let legendHeight = 24.0
        let rowHeight = self.barHeight + 8
        let height = max(70, legendHeight + Double(self.rows.count) * rowHeight + 10)
        var canvas = SVGCanvas(width: self.width, height: height)
        guard !self.rows.isEmpty, totals.contains(where: { $0 > 0 }) else {
            canvas.emptyNotice(self.emptyText)
            return canvas.svg(chart: "stacked-bar", title: self.title, attributes: [("data-bars", "0")])
        }
        var legendX = 4.0
        for (index, name) in self.series.enumerated() {
            canvas.rect(x: legendX, y: 6, width: 10, height: 10, fill: self.color(index))
            canvas.text(name, x: legendX + 14, y: 15, size: 11)
            legendX += 14 + SVGTextWidth.estimate(name, size: 11) + 14
        }
        let scale = ChartScale(largest: self.normalized ? 1 : totals.max() ?? 0, wholeNumbers: self.wholeNumbers && !self.normalized)
        let plotWidth = self.width - labelWidth - noteWidth
        var body = canvas
        for (index, row) in self.rows.enumerated() {
            let y = legendHeight + Double(index) * rowHeight
            body.text(SVGTextWidth.truncate(row.label, to: labelWidth - 10, size: 12), x: labelWidth - 6, y: y + self.barHeight / 2 + 4, anchor: "end")
            var x = labelWidth
            let total = totals[index]
            for (series, value) in row.values.enumerated() where value > 0 {
                let share = self.normalized ? (total > 0 ? value / total : 0) : value
                let length = scale.position(share, length: plotWidth)
                let name = series < self.series.count ? self.series[series] : ""
                body.rect(
                    x: x, y: y, width: length, height: self.barHeight, fill: self.color(series),
                    title: "\(row.label) · \(name): \(ChartScale.label(value))",
                    attributes: [("data-bar", String(index)), ("data-series", String(series))]
                )
                x += length
            }
            body.text(row.note ?? ChartScale.label(total), x: x + 4, y: y + self.barHeight / 2 + 4, size: 11)
        }
        return body.svg(chart: "stacked-bar", title: self.title, attributes: [("data-bars", String(self.rows.count))])
    }
}
