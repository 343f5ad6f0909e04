import Postgres

/// One multi-row additive upsert into a rollup table: every row's values are added to the
/// stored ones. Rows go in key order, so replicas upserting overlapping keys cannot deadlock.
struct RollupUpsert {
    var table: String
    /// Key columns with their SQL types (`date`, `text`, `int2`, `"char"`).
    var keys: [(name: String, type: String)]
    /// Added columns with their SQL types (`int8`, `float8`).
    var values: [(name: String, type: String)]

    /// `rows`: key texts → value texts, in ``keys`` and ``values`` order.
    func run(_ rows: [[String]: [String]], in db: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let ordered = rows.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var columns: [[String]] = Array(repeating: [], count: keys.count + values.count)
        for key in ordered {
            for (i, k) in key.enumerated() { columns[i].append(k) }
            for (i, v) in rows[key]!.enumerated() { columns[keys.count + i].append(v) }
        }
        let all = keys + values
        let names = all.map(\.name)
        let aliases = all.indices.map { "c\($0)" }
        let select = all.indices.map { "u.c\($0)::\(all[$0].type)" }.joined(separator: ", ")
        let unnest = all.indices.map { "$\($0 + 1)::text[]" }.joined(separator: ", ")
        let update = values.map { "\($0.name) = \(table).\($0.name) + EXCLUDED.\($0.name)" }.joined(separator: ", ")
        try db.query(
            """
            INSERT INTO \(table) (\(names.joined(separator: ", ")))
            SELECT \(select) FROM unnest(\(unnest)) AS u(\(aliases.joined(separator: ", ")))
            ON CONFLICT (\(keys.map(\.name).joined(separator: ", "))) DO UPDATE SET \(update)
            """,
            columns.map { .textArray($0) }
        )
    }
}
