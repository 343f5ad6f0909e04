/// One numbered, forward-only schema change. Applied migrations are never edited: a change
/// to the schema is a new migration with the next number.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration of this build, in order.
    public static let all: [Migration] = [
        .v001Initial,
        .v002IntakeSecurity,
        .v003Surveys,
        .v004ClassifierModels,
        .v005DuplicatesIncidents,
        .v006Imports,
        .v007TicketActions,
        .v008SLAClocks,
        .v009NotificationDelivery,
        .v010NotificationContent,
        .v011Analytics,
        .v012AnalyticsMargins,
        .v013IncidentKeysIndex,
        .v014AnalyticsExamplesByKey,
        .v015IncidentMemberKeys,
    ]

    /// The schema version this build needs.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
