import FeedloopCore
import Postgres

/// Positional parameters collected while a query is put together.
struct SQLParameters {
    var values: [PostgresBind] = []

    /// Appends `value` and returns its placeholder (`$3`).
    mutating func add(_ value: PostgresBind) -> String {
        values.append(value)
        return "$\(values.count)"
    }

    /// ` AND …` conditions for the filter fields that `columns` has; a field the table lacks
    /// is skipped (the report notes it), unless `strict`, where it matches nothing.
    mutating func filter(_ f: ReportFilter, columns: Set<String>, prefix: String = "", strict: Bool = false) -> String {
        var parts: [String] = []
        func add(_ column: String, _ value: PostgresBind?) {
            guard let value else { return }
            if columns.contains(column) {
                parts.append("\(prefix)\(column) = \(self.add(value))")
            } else if strict {
                parts.append("false")
            }
        }
        add("department", f.department.map { .text($0) })
        add("channel", f.channel.map { .text($0.rawValue) })
        add("category", f.category.map { .text($0.rawValue) })
        add("level", f.level.map { .int(Int64($0.rawValue)) })
        add("tier", f.tier.map { .text($0.rawValue) })
        return parts.map { " AND " + $0 }.joined()
    }
}
