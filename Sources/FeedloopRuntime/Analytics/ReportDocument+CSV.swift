import FeedloopCore
import Foundation

extension ReportDocument {
    /// The report as CSV (RFC 4180, UTF-8, CRLF line ends): first a `report` table naming the
    /// period, comparison period, filter and time zone, then every table of the report, each
    /// preceded by a line holding only its name (`overview`, `sla_compliance`, …) and followed
    /// by an empty line. Values are raw: counts as integers, shares and rates as fractions
    /// 0…1, times in seconds, an undefined value empty; a figure column `X` comes with
    /// `X_previous` and `X_change`. Codes (`chat`, `first_response`) rather than names, so the
    /// file reads the same in every language.
    public static func csv(_ report: Report, labels: Labels = Labels()) -> String {
        var lines: [[String]] = [
            ["report"],
            ["period", "start", "end", "time_zone", "previous_period", "department", "channel", "category", "level", "tier", "generated_at"],
            [
                report.period.label, report.period.start.description, report.period.end.description, report.period.timeZone,
                report.previousPeriod.label, report.filter.department ?? "", report.filter.channel?.rawValue ?? "",
                report.filter.category?.rawValue ?? "", report.filter.level.map { String($0.rawValue) } ?? "", report.filter.tier?.rawValue ?? "",
                generatedText(report),
            ],
            [],
        ]
        for section in sections(report, labels) {
            for table in section.tables {
                lines.append([table.id])
                lines.append(table.columns.flatMap { $0.isFigure ? [$0.csvName, $0.csvName + "_previous", $0.csvName + "_change"] : [$0.csvName] })
                for row in table.rows { lines.append(row.cells.flatMap(csvFields)) }
                lines.append([])
            }
        }
        return lines.map { $0.map(csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    static func csvFields(_ cell: Cell) -> [String] {
        switch cell {
        case .text(_, let raw): return [safeText(raw)]
        case .value(let value, _): return [csvNumber(value)]
        case .change(let figure, _, _): return [csvNumber(figure.change)]
        case .figure(let figure, _, _): return [csvNumber(figure.value), csvNumber(figure.previous), csvNumber(figure.change)]
        case .examples(let examples): return [safeText(examples.map { "#\($0.ticketId): \($0.excerpt)" }.joined(separator: " | "))]
        }
    }

    /// Whole numbers without a decimal point, others in Swift's shortest exact form; empty for nil.
    static func csvNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Text from the data (keywords, ticket excerpts) that a spreadsheet would take for a
    /// formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
    static func safeText(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// A field quoted when it holds a comma, quote or line break, quotes doubled.
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
