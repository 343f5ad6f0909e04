import FeedloopCore

extension ReportDocument {
    /// The report as one self-contained, printable HTML page: styles inline, charts as inline
    /// SVG, no scripts, fonts or anything else fetched, so it opens the same offline, in a mail
    /// attachment or from a file.
    public static func html(_ report: Report, labels: Labels = Labels()) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"\(labels.language.htmlCode)\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<title>" + SVGText.escape(labels[.reportTitle] + " " + report.period.label) + "</title>"
        out += "<style>" + htmlStyle + "</style></head><body><main>"
        out += "<header><h1>" + SVGText.escape(labels[.reportTitle] + " " + report.period.label) + "</h1>"
        out += "<dl class=\"facts\">"
        for (name, value) in headerFacts(report, labels) {
            out += "<dt>" + SVGText.escape(name) + "</dt><dd>" + SVGText.escape(value) + "</dd>"
        }
        out += "</dl></header>"
        out += htmlTiles(report, labels)
        out += htmlSections(report, labels)
        out += "</main></body></html>\n"
        return out
    }

    /// The headline figures as tiles: value, change against the previous period (▲/▼, green
    /// when good news, red when bad) and, for counts, a day-by-day sparkline.
    public static func htmlTiles(_ report: Report, _ labels: Labels) -> String {
        var out = "<div class=\"tiles\">"
        for line in headline(report, labels) {
            let tone = tone(line.figure, line.polarity)
            out += "<div class=\"tile\" data-figure=\"\(line.id)\"><div class=\"tile-label\">" + SVGText.escape(line.label) + "</div>"
            out += "<div class=\"tile-value\">" + SVGText.escape(format(line.figure.value, line.measure, labels)) + "</div>"
            out +=
                "<div class=\"chg \(tone.rawValue)\" title=\""
                + SVGText.escape(labels[.columnPrevious] + " " + format(line.figure.previous, line.measure, labels))
            out += "\">" + SVGText.escape(change(line.figure, line.measure, labels)) + "</div>"
            if let sparkline = sparkline(for: line, report) { out += "<div class=\"spark\">" + sparkline + "</div>" }
            out += "</div>"
        }
        return out + "</div>"
    }

    /// Every section with its charts and tables, for the document and the dashboard.
    public static func htmlSections(_ report: Report, _ labels: Labels) -> String {
        let charts = charts(report, labels)
        var out = ""
        for section in sections(report, labels) {
            out += "<section id=\"\(section.id)\"><h2>" + SVGText.escape(section.title) + "</h2>"
            if let sectionCharts = charts[section.id], !sectionCharts.isEmpty {
                out += "<div class=\"charts\">"
                for chart in sectionCharts {
                    out += "<figure class=\"chart\" id=\"chart-\(chart.id)\"><figcaption>" + SVGText.escape(chart.title) + "</figcaption>"
                    out += chart.svg + "</figure>"
                }
                out += "</div>"
            }
            for table in section.tables { out += htmlTable(table, showTitle: section.tables.count > 1 || table.title != section.title, labels) }
            out += "</section>"
        }
        return out
    }

    static func htmlTable(_ table: Table, showTitle: Bool, _ labels: Labels) -> String {
        var out = showTitle ? "<h3>" + SVGText.escape(table.title) + "</h3>" : ""
        guard !table.rows.isEmpty else { return out + "<p class=\"empty\" data-table=\"\(table.id)\">" + SVGText.escape(labels[.noData]) + "</p>" }
        out += "<div class=\"table-wrap\"><table data-table=\"\(table.id)\"><thead><tr>"
        for (index, column) in table.columns.enumerated() {
            let numeric = table.rows.first.map { index < $0.cells.count && isNumeric($0.cells[index]) } ?? false
            out += (numeric ? "<th class=\"num\">" : "<th>") + SVGText.escape(column.title) + "</th>"
        }
        out += "</tr></thead><tbody>"
        for row in table.rows {
            out += row.highlighted ? "<tr class=\"highlight\">" : "<tr>"
            for cell in row.cells { out += htmlCell(cell, labels) }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    static func isNumeric(_ cell: Cell) -> Bool {
        switch cell {
        case .value, .figure, .change: true
        case .text, .examples: false
        }
    }

    static func htmlCell(_ cell: Cell, _ labels: Labels) -> String {
        switch cell {
        case .text(let text, _): return "<td>" + SVGText.escape(text) + "</td>"
        case .value(let value, let measure): return "<td class=\"num\">" + SVGText.escape(format(value, measure, labels)) + "</td>"
        case .change(let figure, let measure, let polarity):
            return "<td class=\"num chg \(tone(figure, polarity).rawValue)\">" + SVGText.escape(change(figure, measure, labels)) + "</td>"
        case .figure(let figure, let measure, let polarity):
            var out = "<td class=\"num\" title=\"" + SVGText.escape(labels[.columnPrevious] + " " + format(figure.previous, measure, labels)) + "\">"
            out += SVGText.escape(format(figure.value, measure, labels))
            if figure.change != nil {
                out += " <span class=\"chg \(tone(figure, polarity).rawValue)\">" + SVGText.escape(change(figure, measure, labels)) + "</span>"
            }
            return out + "</td>"
        case .examples(let examples):
            guard !examples.isEmpty else { return "<td></td>" }
            var out = "<td><ul class=\"examples\">"
            for example in examples {
                out += "<li><span class=\"ticket\">#\(example.ticketId)</span> " + SVGText.escape(example.excerpt) + "</li>"
            }
            return out + "</ul></td>"
        }
    }

    /// The styles of the document and the dashboard: system fonts (Noto CJK for Chinese on
    /// Debian), ▲/▼ changes coloured by ``Tone``, highlighted rows, and a print layout that
    /// keeps charts and tables whole and drops the dashboard's controls.
    public static let htmlStyle = """
        :root{color-scheme:light}
        body{margin:0;background:#f5f6f8;color:#222;font:14px/1.45 \(ChartPalette.fontFamily)}
        main{max-width:1280px;margin:0 auto;padding:16px 24px 48px}
        h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #0072B2}
        h3{font-size:15px;margin:16px 0 6px}
        .facts{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 14px;color:#555}.facts dt{font-weight:bold}.facts dd{margin:0 8px 0 4px}
        .facts dt::after{content:":"}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px;margin:12px 0}
        .tile{background:#fff;border:1px solid #e2e4e8;border-radius:6px;padding:10px 12px}
        .tile-label{color:#555;font-size:13px}.tile-value{font-size:26px;font-weight:bold;font-variant-numeric:tabular-nums}
        .spark svg{display:block;margin-top:4px}
        .chg{font-size:12px;white-space:nowrap}.chg.good{color:#007a55}.chg.bad{color:#c4410c}.chg.neutral{color:#666}
        .charts{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
        figure.chart{margin:0;background:#fff;border:1px solid #e2e4e8;border-radius:6px;padding:8px 10px;max-width:100%;overflow-x:auto}
        figure.chart figcaption{font-weight:bold;font-size:13px;margin-bottom:4px}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;background:#fff;margin:4px 0 12px;min-width:50%}
        th,td{border:1px solid #e2e4e8;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef1f5;font-weight:600}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.highlight td{background:#fdecea}
        ul.examples{margin:0;padding-left:16px;font-size:12px;color:#444}.ticket{color:#0072B2;font-weight:600}
        .empty{color:#777;font-style:italic}
        @media print{body{background:#fff}main{max-width:none;padding:0}.controls,.noprint{display:none}
        section,figure.chart,table,.tile{break-inside:avoid}h2{break-after:avoid}}
        """
}
