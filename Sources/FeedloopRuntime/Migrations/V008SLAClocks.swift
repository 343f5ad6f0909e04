extension Migration {
    /// Placeholder, filled in by the change that owns it.
    static let v008SLAClocks = Migration(
        version: 8,
        name: "sla_clocks",
        sql: """
            SELECT 1;
            """
    )
}
