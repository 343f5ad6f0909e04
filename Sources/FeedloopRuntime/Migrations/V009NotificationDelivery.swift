extension Migration {
    /// Placeholder, filled in by the change that owns it.
    static let v009NotificationDelivery = Migration(
        version: 9,
        name: "notification_delivery",
        sql: """
            SELECT 1;
            """
    )
}
