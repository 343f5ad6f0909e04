/// Plain-text tables of metrics, shared by `feedloopctl model eval` and `feedloop-bench evaluate`.
extension ClassificationMetrics {
    /// Accuracy and macro-F1, per-class precision/recall/F1, and the confusion matrix
    /// (rows: gold, columns: predicted).
    public func text(title: String) -> String {
        var lines = ["\(title): \(self.count) rows, accuracy \(Self.format(self.accuracy)), macro-F1 \(Self.format(self.macroF1))", ""]
        var perClass = [["class", "precision", "recall", "f1", "support"]]
        for c in self.perClass {
            perClass.append([c.label, Self.format(c.precision), Self.format(c.recall), Self.format(c.f1), String(c.support)])
        }
        lines.append(Self.table(perClass, indent: "  "))
        lines.append("")
        var matrix = [["gold \\ predicted"] + self.labels]
        for (i, label) in self.labels.enumerated() where i < self.perClass.count {
            matrix.append([label] + self.confusion[i].map(String.init))
        }
        lines.append(Self.table(matrix, indent: "  "))
        return lines.joined(separator: "\n")
    }

    /// Three decimals.
    public static func format(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// Columns padded to their widest cell; the first left-aligned, the others right-aligned.
    public static func table(_ rows: [[String]], indent: String = "") -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var cells: [String] = []
            for c in 0..<columns {
                let cell = c < row.count ? row[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                cells.append(c == 0 ? cell + pad : pad + cell)
            }
            var line = indent + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
