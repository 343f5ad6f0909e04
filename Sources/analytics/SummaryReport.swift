import Foundation
import Postgres

/// Totals of the daily rollup over a date range, as `GET /v1/reports/summary` returns them.
///
/// Dimension values are data (department names are configurable), so keys are spelled out
/// here and encoded without any key conversion.
struct SummaryReport: Encodable, Sendable {
    var from: String
    var to: String
    var received: Int64 = 0
    var byChannel: [String: Int64] = [:]
    var byCategory: [String: Int64] = [:]
    var byLevel: [String: Int64] = [:]
    var byDepartment: [String: Int64] = [:]
    var bySentiment: [String: Int64] = [:]
    var byState: [String: Int64] = [:]
    /// Escalations by SLA metric.
    var escalations: [String: Int64] = [:]
    var byEscalationStep: [String: Int64] = [:]

    enum CodingKeys: String, CodingKey {
        case from, to, received, escalations
        case byChannel = "by_channel"
        case byCategory = "by_category"
        case byLevel = "by_level"
        case byDepartment = "by_department"
        case bySentiment = "by_sentiment"
        case byState = "by_state"
        case byEscalationStep = "by_escalation_step"
    }

    /// Reads the range's totals from `daily_counts` only.
    static func load(_ range: ReportDateRange, from db: PostgresConnection) throws -> SummaryReport {
        let rows = try db.query(
            """
            SELECT dimension, value, sum(count)::int8 FROM daily_counts
            WHERE day BETWEEN $1::date AND $2::date
            GROUP BY dimension, value
            """,
            [.text(range.from), .text(range.to)]
        )
        var report = SummaryReport(from: range.from, to: range.to)
        for row in rows {
            let value = try row.decode(String.self, at: 1)
            let count = try row.decode(Int64.self, at: 2)
            switch try row.decode(String.self, at: 0) {
            case "received": report.received += count
            case "channel": report.byChannel[value] = count
            case "category": report.byCategory[value] = count
            case "level": report.byLevel[value] = count
            case "department": report.byDepartment[value] = count
            case "sentiment": report.bySentiment[value] = count
            case "state": report.byState[value] = count
            case "escalated": report.escalations[value] = count
            case "escalation_step": report.byEscalationStep[value] = count
            default: break  // dimensions of later versions
            }
        }
        return report
    }
}
