import Foundation
import Postgres

/// The time zone whose local days the rollups count in, kept in `analytics_settings`.
public enum AnalyticsTimeZone {
    /// The recorded zone.
    public static func load(from db: PostgresConnection) throws -> TimeZone {
        let rows = try db.query("SELECT time_zone FROM analytics_settings")
        guard let name = try rows.first?.decode(String.self, at: 0), let zone = TimeZone(identifier: name) else {
            throw AnalyticsError("analytics_settings holds no valid time zone; run feedloopctl migrate")
        }
        return zone
    }

    /// Records `zone` while nothing has been counted yet, otherwise checks that it is the
    /// recorded one: days counted in one zone cannot be re-cut into another.
    ///
    /// The classifier's trigger may already have written verdicts before the worker first
    /// started, dated in the zone recorded then; those are not counted yet and are re-dated in
    /// the same statement, or a duplicate marked at 01:00 in Shanghai would count on the UTC
    /// day before.
    public static func settle(_ zone: TimeZone, in db: PostgresConnection) throws {
        try db.query(
            """
            WITH settled AS (
                UPDATE analytics_settings SET time_zone = $1
                WHERE time_zone <> $1 AND NOT EXISTS (SELECT 1 FROM analytics_ticket_counts) AND NOT EXISTS (SELECT 1 FROM analytics_surveys)
                  AND NOT EXISTS (SELECT 1 FROM analytics_verdict_counts)
                RETURNING time_zone
            )
            UPDATE analytics_verdicts v SET day = (t.state_changed_at AT TIME ZONE s.time_zone)::date
            FROM settled s, tickets t WHERE t.id = v.ticket_id
            """,
            [.text(zone.identifier)])
        // Compared as zones: UTC and GMT name the same one.
        let recorded = try load(from: db)
        guard
            recorded.identifier == zone.identifier
                || recorded.secondsFromGMT() == 0 && zone.secondsFromGMT() == 0 && recorded.nextDaylightSavingTimeTransition == nil
                    && zone.nextDaylightSavingTimeTransition == nil
        else {
            throw AnalyticsError(
                "FEEDLOOP_REPORT_TIME_ZONE is \(zone.identifier) but the rollups already count days in \(recorded.identifier); use that zone")
        }
    }
}

/// An analytics failure with a reason a person can act on.
public struct AnalyticsError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
