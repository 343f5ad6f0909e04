extension Migration {
    // PLACEHOLDER: owned by the helper building this part; replace the SQL.
    static let v005DuplicatesIncidents = Migration(
        version: 5,
        name: "duplicates_incidents",
        sql: """
            SELECT 1;
            """
    )
}
