import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging

/// The analytics HTTP API: reports for keys with role agent or admin, and health.
struct ReportRoutes: Sendable {
    static let roles: Set<APIRole> = [.agent, .admin]

    let pool: DatabasePool
    let timeZone: TimeZone
    let verifier: APIKeyVerifier
    let logger: Logger

    func register(on router: Router<FeedloopRequestContext>) {
        router.get("/health") { _, _ in await self.health() }
        let reports = router.group("/v1/reports").add(middleware: APIKeyAuthenticator(roles: Self.roles, verifier: verifier, logger: logger))
        reports.get("summary") { request, _ in await self.respond(request) { APIResponse.json($0, status: .ok) } }
        reports.get("summary.csv") { request, _ in
            await self.respond(request) { report in
                Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/csv; charset=utf-8",
                        .contentDisposition: "attachment; filename=\"feedloop-report-\(report.period.label).csv\"",
                    ],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: ReportDocument.csv(report))))
            }
        }
        reports.get("timeseries") { request, _ in
            await self.respond(request) { report in
                APIResponse.json(
                    TimeSeries(period: report.period, previousPeriod: report.previousPeriod, series: report.series, previousSeries: report.previousSeries),
                    status: .ok)
            }
        }
    }

    /// The days of a period and of the one before, for charts.
    struct TimeSeries: Encodable {
        var period: ReportPeriod
        var previousPeriod: ReportPeriod
        var series: [ReportDailyPoint]
        var previousSeries: [ReportDailyPoint]
    }

    /// Parses the query, builds the report from the rollups and renders it with `render`.
    func respond(_ request: Request, render: @escaping @Sendable (Report) -> Response) async -> Response {
        let query: ReportQuery
        do {
            query = try ReportQuery.parse(request.uri.queryParameters, timeZone: timeZone)
        } catch {
            return error.response
        }
        do {
            let report = try await pool.withConnection { db in try ReportBuilder.build(query.period, filter: query.filter, in: db) }
            return render(report)
        } catch {
            logger.error("report failed", metadata: ["period": "\(query.period.label)", "error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the report could not be read; retry later")
        }
    }

    func health() async -> Response {
        do {
            _ = try await pool.withConnection { db in try db.query("SELECT 1") }
            return APIResponse.json(["status": "ok"], status: .ok)
        } catch {
            logger.warning("health check: database unreachable", metadata: ["error": "\(String(reflecting: error))"])
            return APIResponse.json(["status": "unavailable", "error": "database unreachable"], status: .serviceUnavailable)
        }
    }
}
