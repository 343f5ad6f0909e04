import FeedloopCore
import Foundation

extension ReportDocument {
    /// The report as Markdown: a heading with the period, filter and comparison period, then
    /// one table per section (GitHub pipe tables). Charts are left out; the HTML document has
    /// them.
    public static func markdown(_ report: Report, labels: Labels = Labels()) -> String {
        var out = "# \(markdownEscape(labels[.reportTitle])) \(report.period.label)\n\n"
        for (name, value) in headerFacts(report, labels) {
            out += "- **\(markdownEscape(name))**: \(markdownEscape(value))\n"
        }
        for section in sections(report, labels) {
            out += "\n## \(markdownEscape(section.title))\n"
            for table in section.tables {
                if section.tables.count > 1 || table.title != section.title { out += "\n### \(markdownEscape(table.title))\n" }
                out += "\n" + markdownTable(table, labels)
            }
        }
        return out
    }

    /// Period, comparison period, filter and generation time, as name and value.
    public static func headerFacts(_ report: Report, _ labels: Labels) -> [(String, String)] {
        func span(_ p: ReportPeriod) -> String { p.start == p.end ? "\(p.label)" : "\(p.label) (\(p.start) – \(p.end))" }
        return [
            (labels[.period], span(report.period) + ", " + report.period.timeZone),
            (labels[.previousPeriod], span(report.previousPeriod)),
            (labels[.filter], filterText(report.filter, labels)),
            (labels[.generatedAt], generatedText(report)),
        ]
    }

    /// `部门 研发部 · 渠道 热线`, or `全部` when nothing is filtered.
    public static func filterText(_ filter: ReportFilter, _ labels: Labels) -> String {
        var parts: [String] = []
        if let d = filter.department { parts.append(labels.dimension(.department) + " " + labels.department(d)) }
        if let c = filter.channel { parts.append(labels.dimension(.channel) + " " + labels.channel(c)) }
        if let c = filter.category { parts.append(labels.dimension(.category) + " " + labels.category(c)) }
        if let l = filter.level { parts.append(labels.dimension(.level) + " " + labels.level(l)) }
        if let t = filter.tier { parts.append(labels.dimension(.tier) + " " + labels.tier(t)) }
        return parts.isEmpty ? labels[.all] : parts.joined(separator: " · ")
    }

    /// The generation time in the report's time zone, to the minute.
    static func generatedText(_ report: Report) -> String {
        let zone = report.period.zone
        let day = LocalDate(report.generatedAt, in: zone)
        let seconds = Int(report.generatedAt.timeIntervalSince(day.startInstant(in: zone)))
        let time = String(format: "%02d:%02d", seconds / 3600, seconds % 3600 / 60)
        return "\(day) \(time) \(report.period.timeZone)"
    }

    static func markdownTable(_ table: Table, _ labels: Labels) -> String {
        guard !table.rows.isEmpty else { return "_\(markdownEscape(labels[.noData]))_\n" }
        var out = "| " + table.columns.map { markdownEscape($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.isFigure ? "---:|" : "---|" }.joined() + "\n"
        for row in table.rows {
            let cells = row.cells.map { markdownEscape(humanText($0, labels)) }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// A cell as people read it: a figure as `value · change`.
    static func humanText(_ cell: Cell, _ labels: Labels) -> String {
        switch cell {
        case .text(let text, _): return text
        case .value(let value, let measure): return format(value, measure, labels)
        case .change(let figure, let measure, _): return change(figure, measure, labels)
        case .figure(let figure, let measure, _):
            let value = format(figure.value, measure, labels)
            return figure.change == nil ? value : value + " · " + change(figure, measure, labels)
        case .examples(let examples): return examples.map { "#\($0.ticketId) \($0.excerpt)" }.joined(separator: "; ")
        }
    }

    /// Text safe inside a Markdown table cell: no line breaks, pipes and markup characters
    /// escaped, `<` and `&` as entities so that no HTML gets through.
    static func markdownEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r", "\r\n", "\t": out += " "
            case "|", "\\", "*", "_", "`", "[", "]": out += "\\" + String(character)
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }
}
