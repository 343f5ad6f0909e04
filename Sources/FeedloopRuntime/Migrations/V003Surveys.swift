extension Migration {
    // PLACEHOLDER: owned by the helper building this part; replace the SQL.
    static let v003Surveys = Migration(
        version: 3,
        name: "surveys",
        sql: """
            SELECT 1;
            """
    )
}
