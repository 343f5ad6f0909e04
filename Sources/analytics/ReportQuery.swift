import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird

/// The period and filter of a report request: `period` (day, ISO week, month or
/// `FROM..TO`; default the current ISO week), or `from` and `to` as a range, and the filter
/// fields. Every refusal is a 400 naming the parameter.
struct ReportQuery {
    var period: ReportPeriod
    var filter: ReportFilter

    static func parse(_ query: Parameters, timeZone: TimeZone, today: Date = Date()) throws(APIFailure) -> ReportQuery {
        let text: String
        let parameter: String
        if let period = query.get("period"), !period.isEmpty {
            text = period
            parameter = "period"
        } else if let from = query.get("from"), let to = query.get("to") {
            text = "\(from)..\(to)"
            parameter = "from"
        } else {
            text = ISOWeek(containing: LocalDate(today, in: timeZone)).description
            parameter = "period"
        }
        let period: ReportPeriod
        do {
            period = try ReportPeriod.parse(text, timeZone: timeZone)
        } catch let error as ReportPeriodError {
            throw APIFailure(.badRequest, "invalid report period", fields: [FieldError(field: parameter, reason: error.reason)])
        } catch {
            throw APIFailure(.badRequest, "invalid report period", fields: [FieldError(field: parameter, reason: "\(error)")])
        }
        do {
            let filter = try ReportFilter.parse(
                department: query.get("department"), channel: query.get("channel"), category: query.get("category"), level: query.get("level"),
                tier: query.get("tier"))
            return ReportQuery(period: period, filter: filter)
        } catch let error as ReportFilterError {
            throw APIFailure(.badRequest, "invalid report filter", fields: [FieldError(field: error.field, reason: error.reason)])
        } catch {
            throw APIFailure(.badRequest, "invalid report filter", fields: nil)
        }
    }
}
