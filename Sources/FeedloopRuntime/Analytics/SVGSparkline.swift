/// A small line without axes beside a figure, showing its course over the period's days.
public struct SVGSparkline: Sendable {
    public var title: String
    public var values: [Double]
    public var color: String
    public var width: Double = 120
    public var height: Double = 28

    public init(title: String, values: [Double], color: String = ChartPalette.color(0)) {
        self.title = title
        self.values = values
        self.color = color
    }

    /// `<svg data-chart="sparkline">`: a path scaled between the smallest and largest value; a
    /// flat line through the middle when all values are equal, and nothing drawn without values.
    public func render() -> String {
        var canvas = SVGCanvas(width: self.width, height: self.height)
        let finite = self.values.filter(\.isFinite)
        if finite.count == self.values.count, let low = finite.min(), let high = finite.max() {
            let pad = 3.0
            func x(_ i: Int) -> Double { self.values.count == 1 ? self.width / 2 : pad + Double(i) / Double(self.values.count - 1) * (self.width - 2 * pad) }
            func y(_ v: Double) -> Double { high == low ? self.height / 2 : self.height - pad - (v - low) / (high - low) * (self.height - 2 * pad) }
            let d = self.values.enumerated().map { (i, v) in (i == 0 ? "M" : "L") + SVGText.number(x(i)) + " " + SVGText.number(y(v)) }.joined()
            canvas.path(d, fill: "none", stroke: self.color, strokeWidth: 1.5)
            if let last = self.values.last { canvas.circle(cx: x(self.values.count - 1), cy: y(last), r: 2, fill: self.color) }
        }
        return canvas.svg(chart: "sparkline", title: self.title, attributes: [("data-points", String(self.values.count))])
    }
}
