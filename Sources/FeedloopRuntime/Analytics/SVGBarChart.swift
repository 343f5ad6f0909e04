/// Horizontal bars, one per label: category shares, satisfaction per dimension (the three
/// lowest highlighted), escalations per ladder step. Horizontal, because the labels are words
/// (often Chinese) that do not fit under a narrow column.
public struct SVGBarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        /// What is printed after the bar; the value itself when nil.
        public var valueText: String?
        /// Drawn in ``ChartPalette/highlight`` and marked `data-highlight`.
        public var highlighted: Bool

        public init(label: String, value: Double, valueText: String? = nil, highlighted: Bool = false) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.highlighted = highlighted
        }
    }

    public var title: String
    public var bars: [Bar]
    /// The axis maximum; from the data when nil (5 for 1–5 scores, 100 for percentages).
    public var maximum: Double?
    /// Shown instead of bars when there are none.
    public var emptyText: String
    public var width: Double = 560
    public var barHeight: Double = 22

    public init(title: String, bars: [Bar], maximum: Double? = nil, emptyText: String) {
        self.title = title
        self.bars = bars
        self.maximum = maximum
        self.emptyText = emptyText
    }

    /// The chart as an `<svg data-chart="bar">` element; each bar is a `rect` with `data-bar`.
    public func render() -> String {
        let labelWidth = min(200, max(60, Double(self.bars.map { SVGTextWidth.estimate($0.label, size: 12) }.max() ?? 0) + 12))
        let valueWidth = 64.0
        let rowHeight = self.barHeight + 8
        let height = max(60, Double(self.bars.count) * rowHeight + 28)
        var canvas = SVGCanvas(width: self.width, height: height)
        guard !self.bars.isEmpty else {
            canvas.emptyNotice(self.emptyText)
            return canvas.svg(chart: "bar", title: self.title, attributes: [("data-bars", "0")])
        }
        let scale = ChartScale(largest: self.maximum ?? self.bars.map(\.value).max() ?? 0)
        let plotWidth = self.width - labelWidth - valueWidth
        for tick in scale.ticks {
            let x = labelWidth + scale.position(tick, length: plotWidth)
            canvas.line(x1: x, y1: 4, x2: x, y2: height - 20, stroke: ChartPalette.grid)
            canvas.text(ChartScale.label(tick), x: x, y: height - 6, anchor: "middle", size: 10, fill: ChartPalette.mutedText)
        }
        for (index, bar) in self.bars.enumerated() {
            let y = 6 + Double(index) * rowHeight
            let length = scale.position(bar.value, length: plotWidth)
            let valueText = bar.valueText ?? ChartScale.label(bar.value)
            canvas.text(SVGTextWidth.truncate(bar.label, to: labelWidth - 10, size: 12), x: labelWidth - 6, y: y + self.barHeight / 2 + 4, anchor: "end")
            var attributes = [("data-bar", String(index)), ("data-value", ChartScale.label(bar.value))]
            if bar.highlighted { attributes.append(("data-highlight", "true")) }
            canvas.rect(
                x: labelWidth, y: y, width: length, height: self.barHeight, fill: bar.highlighted ? ChartPalette.highlight : ChartPalette.color(0),
                title: "\(bar.label): \(valueText)", attributes: attributes
            )
            canvas.text(valueText, x: labelWidth + length + 4, y: y + self.barHeight / 2 + 4, size: 11, bold: bar.highlighted)
        }
        return canvas.svg(chart: "bar", title: self.title, attributes: [("data-bars", String(self.bars.count))])
    }
}
