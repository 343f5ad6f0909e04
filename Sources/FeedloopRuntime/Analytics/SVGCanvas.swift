/// Builds the markup of one SVG chart. Every piece of text and every attribute value goes
/// through ``SVGText/escape(_:)``, and every coordinate through ``SVGText/number(_:)``, so that
/// labels from the data (department names, keywords) cannot break the page and the same
/// numbers always give the same bytes (the charts are compared in tests and cached by browsers).
public struct SVGCanvas: Sendable {
    public let width: Double
    public let height: Double
    private var body: String = ""

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A rectangle; `title` becomes a tooltip, `attributes` are added as given (escaped).
    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil, attributes: [(String, String)] = []
    ) {
        let geometry = [("x", x), ("y", y), ("width", max(0, width)), ("height", max(0, height))]
        self.element("rect", geometry.map { ($0.0, SVGText.number($0.1)) } + [("fill", fill)] + attributes, title: title)
    }

    /// A line from (x1, y1) to (x2, y2).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        var attributes = [("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)].map { ($0.0, SVGText.number($0.1)) }
        attributes += [("stroke", stroke), ("stroke-width", SVGText.number(width))]
        if dashed { attributes.append(("stroke-dasharray", "4 3")) }
        self.element("line", attributes)
    }

    /// A path with the given `d`; `fill: "none"` for a polyline.
    public mutating func path(
        _ d: String, fill: String, stroke: String? = nil, strokeWidth: Double = 1, attributes: [(String, String)] = [], title: String? = nil
    ) {
        var all = [("d", d), ("fill", fill)]
        if let stroke { all += [("stroke", stroke), ("stroke-width", SVGText.number(strokeWidth)), ("stroke-linejoin", "round")] }
        self.element("path", all + attributes, title: title)
    }

    /// A circle (line chart points).
    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, title: String? = nil) {
        self.element("circle", [("cx", SVGText.number(cx)), ("cy", SVGText.number(cy)), ("r", SVGText.number(r)), ("fill", fill)], title: title)
    }

    /// Text anchored at (x, y): `anchor` is `start`, `middle` or `end`.
    public mutating func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, fill: String = ChartPalette.text, bold: Bool = false
    ) {
        var attributes = [("x", SVGText.number(x)), ("y", SVGText.number(y)), ("font-size", SVGText.number(size)), ("fill", fill)]
        if anchor != "start" { attributes.append(("text-anchor", anchor)) }
        if bold { attributes.append(("font-weight", "bold")) }
        self.body += "<text" + Self.attributes(attributes) + ">" + SVGText.escape(content) + "</text>"
    }

    /// The text of an empty chart, centred, so that a period without data still shows a frame
    /// that says so rather than a blank or a division by zero.
    public mutating func emptyNotice(_ notice: String) {
        self.rect(x: 0.5, y: 0.5, width: self.width - 1, height: self.height - 1, fill: "none", attributes: [("stroke", ChartPalette.grid)])
        self.text(notice, x: self.width / 2, y: self.height / 2 + 4, anchor: "middle", size: 13, fill: ChartPalette.mutedText)
    }

    /// The finished `<svg>` element: `data-chart` names the kind (tests and styles find charts
    /// by it), `title` is announced by screen readers and shown as a tooltip.
    public func svg(chart kind: String, title: String, attributes extra: [(String, String)] = []) -> String {
        let attributes =
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(SVGText.number(width)) \(SVGText.number(height))"),
                ("width", SVGText.number(width)), ("height", SVGText.number(height)), ("role", "img"), ("aria-label", title),
                ("data-chart", kind),
                ("font-family", ChartPalette.fontFamily),
            ] + extra
        return "<svg" + Self.attributes(attributes) + "><title>" + SVGText.escape(title) + "</title>" + self.body + "</svg>"
    }

    private mutating func element(_ name: String, _ attributes: [(String, String)], title: String? = nil) {
        if let title {
            self.body += "<\(name)" + Self.attributes(attributes) + "><title>" + SVGText.escape(title) + "</title></\(name)>"
        } else {
            self.body += "<\(name)" + Self.attributes(attributes) + "/>"
        }
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(SVGText.escape($0.1))\"" }.joined()
    }
}
