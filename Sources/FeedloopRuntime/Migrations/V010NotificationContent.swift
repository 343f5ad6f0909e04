extension Migration {
    /// Placeholder, filled in by the change that owns it.
    static let v010NotificationContent = Migration(
        version: 10,
        name: "notification_content",
        sql: """
            SELECT 1;
            """
    )
}
