import Foundation

/// A plain-text table with a header row: text columns left-aligned, numeric ones right-aligned.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns (by index) aligned to the right.
    var numericColumns: Set<Int> = []

    init(_ headers: [String], numericColumns: Set<Int> = []) {
        self.headers = headers
        self.numericColumns = numericColumns
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    func render(indent: String = "") -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            let cells = headers.indices.map { column -> String in
                let text = row.indices.contains(column) ? row[column] : ""
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return numericColumns.contains(column) ? padding + text : text + padding
            }
            return indent + cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
