import Foundation

/// A half-ring gauge for one score on a fixed range: NPS (−100…100), CSAT or compliance
/// (0…100 %). The filled arc runs from the range's start to the value; the colour says whether
/// the value has reached ``goodFrom``.
public struct SVGGauge: Sendable {
    public var title: String
    /// nil when there is nothing to score (no answers): the ring stays empty and says so.
    public var value: Double?
    public var minimum: Double
    public var maximum: Double
    /// Values at or above this are drawn in ``ChartPalette/good``, below in ``ChartPalette/bad``.
    public var goodFrom: Double
    /// The text under the needle (e.g. `+32`, `87.5%`).
    public var valueText: String
    public var emptyText: String
    public var width: Double = 200
    public var height: Double = 120

    public init(title: String, value: Double?, minimum: Double, maximum: Double, goodFrom: Double, valueText: String, emptyText: String) {
        self.title = title
        self.value = value
        self.minimum = minimum
        self.maximum = maximum
        self.goodFrom = goodFrom
        self.valueText = valueText
        self.emptyText = emptyText
    }

    /// `<svg data-chart="gauge">` with `data-value` (the value, clamped to the range).
    public func render() -> String {
        var canvas = SVGCanvas(width: self.width, height: self.height)
        let cx = self.width / 2
        let cy = self.height - 22
        let radius = min(self.width / 2 - 10, cy - 6)
        let thickness = radius * 0.28
        func point(_ r: Double, _ fraction: Double) -> String {
            let angle = Double.pi * (1 - fraction)
            return SVGText.number(cx + r * cos(angle)) + " " + SVGText.number(cy - r * sin(angle))
        }
        func arc(_ from: Double, _ to: Double) -> String {
            let mid = radius - thickness / 2
            return "M" + point(mid, from) + "A" + SVGText.number(mid) + " " + SVGText.number(mid) + " 0 0 1 " + point(mid, to)
        }
        canvas.path(arc(0, 1), fill: "none", stroke: ChartPalette.grid, strokeWidth: thickness)
        canvas.text(ChartScale.label(self.minimum), x: cx - radius + thickness / 2, y: cy + 16, anchor: "middle", size: 10, fill: ChartPalette.mutedText)
        canvas.text(ChartScale.label(self.maximum), x: cx + radius - thickness / 2, y: cy + 16, anchor: "middle", size: 10, fill: ChartPalette.mutedText)
        guard let value = self.value, value.isFinite, self.maximum > self.minimum else {
            canvas.text(self.emptyText, x: cx, y: cy - 4, anchor: "middle", size: 12, fill: ChartPalette.mutedText)
            return canvas.svg(chart: "gauge", title: self.title)
        }
        let clamped = min(max(value, self.minimum), self.maximum)
        let fraction = (clamped - self.minimum) / (self.maximum - self.minimum)
        if fraction > 0 {
            canvas.path(arc(0, fraction), fill: "none", stroke: clamped >= self.goodFrom ? ChartPalette.good : ChartPalette.bad, strokeWidth: thickness)
        }
        canvas.text(self.valueText, x: cx, y: cy - 2, anchor: "middle", size: 22, bold: true)
        return canvas.svg(chart: "gauge", title: self.title, attributes: [("data-value", ChartScale.label(clamped))])
    }
}
