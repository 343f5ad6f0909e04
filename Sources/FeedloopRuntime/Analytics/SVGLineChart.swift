/// Lines over days: tickets received and resolved per day, resolution time median and p90 per
/// day. A missing value (nil) breaks the line rather than dropping it to zero, so a day
/// without resolved tickets does not look like a day of instant resolutions.
public struct SVGLineChart: Sendable {
    /// One line.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: [Double?]
        public var dashed: Bool

        public init(name: String, values: [Double?], dashed: Bool = false) {
            self.name = name
            self.values = values
            self.dashed = dashed
        }
    }

    public var title: String
    /// One label per point (e.g. `11-17`); some are skipped when they would overlap.
    public var xLabels: [String]
    public var series: [Series]
    /// The unit after values in tooltips (`h` for hours), empty for counts.
    public var unit: String
    public var emptyText: String
    /// Counts: axis ticks at whole numbers only.
    public var wholeNumbers = false
    public var width: Double = 560
    public var height: Double = 220

    public init(title: String, xLabels: [String], series: [Series], unit: String = "", emptyText: String) {
        self.title = title
        self.xLabels = xLabels
        self.series = series
        self.unit = unit
        self.emptyText = emptyText
    }

    /// The chart as `<svg data-chart="line">`; each line is a `path` with `data-series`.
    public func render() -> String {
        var canvas = SVGCanvas(width: self.width, height: self.height)
        let values = self.series.flatMap { $0.values.compactMap { $0 } }
        guard !self.xLabels.isEmpty, !values.isEmpty else {
            canvas.emptyNotice(self.emptyText)
            return canvas.svg(chart: "line", title: self.title, attributes: [("data-series-count", "0")])
        }
        let scale = ChartScale(largest: values.max() ?? 0, wholeNumbers: self.wholeNumbers)
        let left = 44.0
        let right = 22.0
        let top = 26.0
        let bottom = 24.0
        let plotWidth = self.width - left - right
        let plotHeight = self.height - top - bottom
        let count = self.xLabels.count
        func x(_ i: Int) -> Double { left + (count == 1 ? plotWidth / 2 : Double(i) / Double(count - 1) * plotWidth) }
        func y(_ v: Double) -> Double { top + plotHeight - scale.position(v, length: plotHeight) }

        for tick in scale.ticks {
            canvas.line(x1: left, y1: y(tick), x2: self.width - right, y2: y(tick), stroke: ChartPalette.grid)
            canvas.text(ChartScale.label(tick), x: left - 4, y: y(tick) + 4, anchor: "end", size: 10, fill: ChartPalette.mutedText)
        }
        let labelWidth = (self.xLabels.map { SVGTextWidth.estimate($0, size: 10) }.max() ?? 0) + 8
        let every = max(1, Int((labelWidth * Double(count) / plotWidth).rounded(.up)))
        for (i, label) in self.xLabels.enumerated() where i % every == 0 {
            canvas.text(label, x: x(i), y: self.height - 8, anchor: "middle", size: 10, fill: ChartPalette.mutedText)
        }
        var legendX = left
        for (index, series) in self.series.enumerated() {
            let color = ChartPalette.color(index)
            canvas.line(x1: legendX, y1: 11, x2: legendX + 14, y2: 11, stroke: color, width: 2, dashed: series.dashed)
            canvas.text(series.name, x: legendX + 18, y: 15, size: 11)
            legendX += 18 + SVGTextWidth.estimate(series.name, size: 11) + 14
        }
        for (index, series) in self.series.enumerated() {
            let color = ChartPalette.color(index)
            var d = ""
            var penDown = false
            for (i, value) in series.values.prefix(count).enumerated() {
                guard let value else {
                    penDown = false
                    continue
                }
                d += (penDown ? "L" : "M") + SVGText.number(x(i)) + " " + SVGText.number(y(value))
                penDown = true
            }
            var attributes = [("data-series", String(index))]
            if series.dashed { attributes.append(("stroke-dasharray", "5 3")) }
            canvas.path(d, fill: "none", stroke: color, strokeWidth: 2, attributes: attributes)
            for (i, value) in series.values.prefix(count).enumerated() {
                guard let value else { continue }
                canvas.circle(cx: x(i), cy: y(value), r: 2.5, fill: color, title: "\(series.name) \(self.xLabels[i]): \(ChartScale.label(value))\(self.unit)")
            }
        }
        return canvas.svg(chart: "line", title: self.title, attributes: [("data-series-count", String(self.series.count))])
    }
}
