import FeedloopRuntime
import Foundation
import Testing

/// The server-side charts: well-formed SVG, one mark per data point, labels escaped, empty
/// data drawn as a frame that says so, and the same input always giving the same bytes.
struct SVGChartTests {
    @Test func textIsEscapedForXML() {
        #expect(SVGText.escape(#"<b> & "q" 'a'"#) == "&lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;")
        #expect(SVGText.escape("研发\u{0}部\u{1B}") == "研发\u{FFFD}部\u{FFFD}")
        #expect(SVGText.escape("line\nnext") == "line\nnext")
    }

    @Test func numbersHaveOneDecimalAndNoNegativeZero() {
        #expect(SVGText.number(12) == "12")
        #expect(SVGText.number(12.34) == "12.3")
        #expect(SVGText.number(12.36) == "12.4")
        #expect(SVGText.number(-0.01) == "0")
        #expect(SVGText.number(-0.35) == "-0.4")
        #expect(SVGText.number(-12.3) == "-12.3")
        #expect(SVGText.number(.nan) == "0")
    }

    @Test func scalesEndOnRoundNumbers() {
        #expect(ChartScale(largest: 87).maximum == 100)
        #expect(ChartScale(largest: 87).ticks == [0, 25, 50, 75, 100])
        #expect(ChartScale(largest: 5, tickCount: 5).maximum == 5)
        #expect(ChartScale(largest: 1234).maximum == 1500)
        #expect(ChartScale(largest: 0.42).ticks == [0, 0.2, 0.4, 0.6])
        #expect(ChartScale(largest: 0).maximum == 1)
        #expect(ChartScale(largest: 1, wholeNumbers: true).ticks == [0, 1])
        #expect(ChartScale(largest: 3, wholeNumbers: true).ticks == [0, 1, 2, 3])
        #expect(ChartScale(largest: 0, wholeNumbers: true).ticks == [0, 1])
        #expect(ChartScale(largest: 100).position(50, length: 200) == 100)
        #expect(ChartScale(largest: 100).position(500, length: 200) == 200)
    }

    @Test func barChartHasOneBarPerValueAndEscapedLabels() throws {
        let chart = SVGBarChart(
            title: "满意度 <各维度>",
            bars: [
                .init(label: "响应速度", value: 4.2), .init(label: "R&D <script>", value: 2.9, highlighted: true),
                .init(label: "\"quoted\"", value: 3.5, valueText: "3.50"),
            ],
            maximum: 5, emptyText: "无数据")
        let markup = chart.render()
        let xml = SVGChartXML(markup)
        #expect(xml.wellFormed, "\(xml.error ?? "")")
        #expect(xml.root["data-chart"] == "bar")
        #expect(xml.root["aria-label"] == "满意度 <各维度>")
        let bars = xml.elements("rect").filter { $0.attributes["data-bar"] != nil }
        #expect(bars.map { $0.attributes["data-bar"] } == ["0", "1", "2"])
        #expect(bars.map { $0.attributes["data-value"] } == ["4.2", "2.9", "3.5"])
        #expect(bars.filter { $0.attributes["data-highlight"] == "true" }.count == 1)
        #expect(bars[1].attributes["fill"] == ChartPalette.highlight)
        #expect(xml.texts.contains("R&D <script>"))
        #expect(xml.texts.contains("3.50"))
        #expect(!markup.contains("<script>"))
        // Bars are proportional to the axis maximum: 4.2 of 5 is 84 % of 2.9's width ratio.
        let widths = bars.compactMap { $0.attributes["width"].flatMap(Double.init) }
        #expect(abs(widths[0] / widths[1] - 4.2 / 2.9) < 0.01)
    }

    @Test func emptyChartsSaySoInsteadOfDrawing() {
        let charts = [
            SVGBarChart(title: "t", bars: [], emptyText: "本期无数据").render(),
            SVGStackedBarChart(title: "t", series: ["a"], rows: [.init(label: "x", values: [0])], emptyText: "本期无数据").render(),
            SVGLineChart(title: "t", xLabels: ["11-01"], series: [.init(name: "a", values: [nil])], emptyText: "本期无数据").render(),
            SVGDonutChart(title: "t", slices: [.init(label: "a", value: 0)], emptyText: "本期无数据").render(),
        ]
        for markup in charts {
            let xml = SVGChartXML(markup)
            #expect(xml.wellFormed)
            #expect(xml.texts.contains("本期无数据"), "\(markup)")
            #expect(xml.elements("path").isEmpty && xml.elements("circle").isEmpty)
            #expect(!markup.contains("NaN") && !markup.contains("inf"))
        }
        let gauge = SVGChartXML(SVGGauge(title: "NPS", value: nil, minimum: -100, maximum: 100, goodFrom: 0, valueText: "—", emptyText: "无答卷").render())
        #expect(gauge.wellFormed && gauge.texts.contains("无答卷") && gauge.root["data-value"] == nil)
        let sparkline = SVGChartXML(SVGSparkline(title: "s", values: []).render())
        #expect(sparkline.wellFormed && sparkline.elements("path").isEmpty)
    }

    @Test func stackedBarsHaveASegmentPerNonZeroValue() {
        let chart = SVGStackedBarChart(
            title: "SLA", series: ["met", "breached"],
            rows: [.init(label: "first response · 1", values: [9, 1], note: "90.0%"), .init(label: "resolution", values: [4, 0])], normalized: true,
            emptyText: "none")
        let xml = SVGChartXML(chart.render())
        #expect(xml.wellFormed)
        #expect(xml.root["data-chart"] == "stacked-bar" && xml.root["data-bars"] == "2")
        let segments = xml.elements("rect").filter { $0.attributes["data-series"] != nil }
        #expect(segments.map { "\($0.attributes["data-bar"]!):\($0.attributes["data-series"]!)" } == ["0:0", "0:1", "1:0"])
        // Normalised: both bars are equally long in total.
        let width = { (bar: String) in segments.filter { $0.attributes["data-bar"] == bar }.compactMap { Double($0.attributes["width"]!) }.reduce(0, +) }
        #expect(abs(width("0") - width("1")) < 0.2)
        #expect(xml.texts.contains("90.0%"))
    }

    @Test func lineChartBreaksAtMissingValues() {
        let chart = SVGLineChart(
            title: "Times", xLabels: ["11-16", "11-17", "11-18", "11-19"],
            series: [.init(name: "median", values: [2, nil, 3, 4]), .init(name: "p90", values: [5, 6, 7, 8], dashed: true)], unit: "h",
            emptyText: "none")
        let xml = SVGChartXML(chart.render())
        #expect(xml.wellFormed)
        let paths = xml.elements("path").filter { $0.attributes["data-series"] != nil }
        #expect(paths.count == 2)
        // Two runs (M…, then M…L…) for the series with a gap; one run of four points for the other.
        #expect(paths[0].attributes["d"]!.filter { $0 == "M" }.count == 2)
        #expect(paths[1].attributes["d"]!.filter { $0 == "L" }.count == 3)
        #expect(paths[1].attributes["stroke-dasharray"] != nil)
        #expect(xml.elements("circle").count == 7)
    }

    @Test func donutSlicesAreSharesOfTheWhole() {
        let chart = SVGDonutChart(
            title: "类别", slices: [.init(label: "产品类", value: 3), .init(label: "物流类", value: 1), .init(label: "其他类", value: 0)], centerText: "4",
            emptyText: "none")
        let xml = SVGChartXML(chart.render())
        #expect(xml.wellFormed)
        #expect(xml.root["data-slices"] == "2")
        #expect(xml.elements("path").compactMap { $0.attributes["data-slice"] } == ["0", "1"])
        #expect(xml.texts.contains("75%") && xml.texts.contains("25%") && xml.texts.contains("0%"))
        // One slice of everything is still drawn (a full ring cannot be a single arc otherwise).
        let whole = SVGChartXML(SVGDonutChart(title: "t", slices: [.init(label: "a", value: 5)], emptyText: "none").render())
        #expect(whole.wellFormed && whole.elements("path").count == 1)
    }

    @Test func gaugeClampsItsValue() {
        let xml = SVGChartXML(SVGGauge(title: "NPS", value: 140, minimum: -100, maximum: 100, goodFrom: 0, valueText: "+140", emptyText: "").render())
        #expect(xml.wellFormed && xml.root["data-chart"] == "gauge" && xml.root["data-value"] == "100")
        let negative = SVGChartXML(SVGGauge(title: "NPS", value: -20, minimum: -100, maximum: 100, goodFrom: 0, valueText: "-20", emptyText: "").render())
        #expect(negative.elements("path").contains { $0.attributes["stroke"] == ChartPalette.bad })
    }

    @Test func sameDataSameBytes() {
        let make = {
            SVGLineChart(
                title: "Tickets", xLabels: (1...30).map { String(format: "11-%02d", $0) },
                series: [.init(name: "a", values: (1...30).map { Double($0 * $0) / 7 })], emptyText: ""
            )
            .render()
        }
        #expect(make() == make())
        #expect(SVGChartXML(make()).wellFormed)
    }

    @Test func longLabelsAreShortened() {
        #expect(SVGTextWidth.truncate("短", to: 100, size: 12) == "短")
        let cut = SVGTextWidth.truncate(String(repeating: "很长的部门名称", count: 10), to: 100, size: 12)
        #expect(cut.hasSuffix("…") && SVGTextWidth.estimate(cut, size: 12) <= 100)
    }
}
