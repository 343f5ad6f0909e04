import Foundation

/// Shares of a whole as a ring with a legend: tickets per category, per channel.
public struct SVGDonutChart: Sendable {
    /// One slice.
    public struct Slice: Sendable, Equatable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var title: String
    public var slices: [Slice]
    /// Written in the middle of the ring (e.g. the total).
    public var centerText: String?
    public var emptyText: String
    public var width: Double = 420
    public var height: Double = 200

    public init(title: String, slices: [Slice], centerText: String? = nil, emptyText: String) {
        self.title = title
        self.slices = slices
        self.centerText = centerText
        self.emptyText = emptyText
    }

    /// `<svg data-chart="donut">`: each non-empty slice is a `path` with `data-slice`, and the
    /// legend gives each share in percent (one decimal).
    public func render() -> String {
        var canvas = SVGCanvas(width: self.width, height: self.height)
        let total = self.slices.reduce(0) { $0 + max($1.value, 0) }
        guard total > 0 else {
            canvas.emptyNotice(self.emptyText)
            return canvas.svg(chart: "donut", title: self.title, attributes: [("data-slices", "0")])
        }
        let cx = self.height / 2
        let cy = self.height / 2
        let outer = self.height / 2 - 8
        let inner = outer * 0.58
        var start = -Double.pi / 2
        var drawn = 0
        for (index, slice) in self.slices.enumerated() where slice.value > 0 {
            let share = slice.value / total
            // A full ring cannot be one arc (start and end coincide): draw it as two halves.
            let sweep = min(share, 0.99999) * 2 * Double.pi
            let end = start + sweep
            let large = sweep > Double.pi ? 1 : 0
            func point(_ r: Double, _ angle: Double) -> String { SVGText.number(cx + r * cos(angle)) + " " + SVGText.number(cy + r * sin(angle)) }
            let d =
                "M" + point(outer, start) + "A" + SVGText.number(outer) + " " + SVGText.number(outer) + " 0 \(large) 1 " + point(outer, end)
                + "L" + point(inner, end) + "A" + SVGText.number(inner) + " " + SVGText.number(inner) + " 0 \(large) 0 " + point(inner, start) + "Z"
            canvas.path(
                d, fill: ChartPalette.color(index), stroke: "#FFFFFF", strokeWidth: 1, attributes: [("data-slice", String(index))],
                title: "\(slice.label): \(Self.percent(share))")
            start = end
            drawn += 1
        }
        if let centerText = self.centerText {
            canvas.text(centerText, x: cx, y: cy + 6, anchor: "middle", size: 16, bold: true)
        }
        let legendX = self.height + 10
        let lineHeight = min(20, (self.height - 10) / Double(max(self.slices.count, 1)))
        for (index, slice) in self.slices.enumerated() {
            let y = 10 + Double(index) * lineHeight
            canvas.rect(x: legendX, y: y, width: 10, height: 10, fill: ChartPalette.color(index))
            let label = SVGTextWidth.truncate(slice.label, to: self.width - legendX - 70, size: 12)
            canvas.text(label, x: legendX + 16, y: y + 9)
            canvas.text(Self.percent(max(slice.value, 0) / total), x: self.width - 4, y: y + 9, anchor: "end", fill: ChartPalette.mutedText)
        }
        return canvas.svg(chart: "donut", title: self.title, attributes: [("data-slices", String(drawn))])
    }

    /// `12.5%`: one decimal, locale-independent.
    static func percent(_ share: Double) -> String { SVGText.number(share * 100) + "%" }
}
