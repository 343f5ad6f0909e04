extension Migration {
    /// Placeholder, filled in by the change that owns it.
    static let v011Analytics = Migration(
        version: 11,
        name: "analytics",
        sql: """
            SELECT 1;
            """
    )
}
