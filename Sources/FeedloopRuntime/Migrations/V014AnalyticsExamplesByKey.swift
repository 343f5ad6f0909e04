extension Migration {
    /// A report shows the latest example tickets of each of its top problems and keywords. The
    /// examples are keyed by day first, so a year's report read every example of the year and
    /// ranked them (50 ms); by key, it reads three index entries per problem or keyword.
    static let v014AnalyticsExamplesByKey = Migration(
        version: 14,
        name: "analytics_examples_by_key",
        sql: """
            CREATE INDEX analytics_examples_by_key ON analytics_examples (kind, key, day DESC, slot) INCLUDE (ticket_id);
            """
    )
}
