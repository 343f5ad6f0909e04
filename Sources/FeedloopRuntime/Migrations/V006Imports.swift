extension Migration {
    // PLACEHOLDER: owned by the helper building this part; replace the SQL.
    static let v006Imports = Migration(
        version: 6,
        name: "imports",
        sql: """
            SELECT 1;
            """
    )
}
