import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird
import Logging

/// The dashboard at `/` and its report documents (`/report.html`, `/report.md`,
/// `/report.csv`, same query), behind ``DashboardAuthenticator``. Everything is rendered on
/// the server from one ``ReportBuilder`` report, which reads only the rollups.
struct DashboardRoutes: Sendable {
    let pool: DatabasePool
    let timeZone: TimeZone
    let verifier: APIKeyVerifier
    let logger: Logger

    func register(on router: Router<FeedloopRequestContext>) {
        let dashboard = router.group().add(middleware: DashboardAuthenticator(verifier: verifier, logger: logger))
        dashboard.get("/") { request, _ in await self.page(request) }
        // The sign-in form posts here; the authenticator answers it before any route runs.
        dashboard.post("/") { _, _ in Response(status: .seeOther, headers: [.location: "/"]) }
        dashboard.get("/report.html") { request, _ in
            await self.document(request) { report, labels in
                ("text/html; charset=utf-8", nil, ReportDocument.html(report, labels: labels))
            }
        }
        dashboard.get("/report.md") { request, _ in
            await self.document(request) { report, labels in
                ("text/markdown; charset=utf-8", "feedloop-report-\(report.period.label).md", ReportDocument.markdown(report, labels: labels))
            }
        }
        dashboard.get("/report.csv") { request, _ in
            await self.document(request) { report, labels in
                ("text/csv; charset=utf-8", "feedloop-report-\(report.period.label).csv", ReportDocument.csv(report, labels: labels))
            }
        }
    }

    func page(_ request: Request) async -> Response {
        let today = LocalDate(Date(), in: timeZone)
        let query: DashboardQuery
        do {
            query = try DashboardQuery.parse(request.uri.queryParameters, acceptLanguage: request.headers[.acceptLanguage], timeZone: timeZone)
        } catch {
            return Self.invalid(error, DashboardAuthenticator.language(request))
        }
        do {
            let report = try await pool.withConnection { db in try ReportBuilder.build(query.period, filter: query.filter, in: db) }
            let html = DashboardPage.render(report, query: query, departments: Self.departments(report, query.filter), today: today)
            return Self.html(html, status: .ok)
        } catch {
            logger.error("dashboard report failed", metadata: ["period": "\(query.period.label)", "error": "\(String(reflecting: error))"])
            let labels = ReportDocument.Labels(language: query.language)
            return Self.html(
                DashboardPage.message(
                    title: labels[.badRequestTitle], text: "the report could not be read; retry later", language: query.language, keyForm: false,
                    hiddenLanguage: false),
                status: .serviceUnavailable)
        }
    }

    /// A report document of the dashboard's view, as a download (`filename` set) or inline.
    func document(
        _ request: Request, render: @escaping @Sendable (Report, ReportDocument.Labels) -> (type: String, filename: String?, body: String)
    ) async -> Response {
        let query: DashboardQuery
        do {
            query = try DashboardQuery.parse(request.uri.queryParameters, acceptLanguage: request.headers[.acceptLanguage], timeZone: timeZone)
        } catch {
            return Self.invalid(error, DashboardAuthenticator.language(request))
        }
        do {
            let report = try await pool.withConnection { db in try ReportBuilder.build(query.period, filter: query.filter, in: db) }
            let document = render(report, ReportDocument.Labels(language: query.language))
            var headers: HTTPFields = [.contentType: document.type, .cacheControl: "no-store"]
            if let filename = document.filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document.body)))
        } catch {
            logger.error("report document failed", metadata: ["period": "\(query.period.label)", "error": "\(String(reflecting: error))"])
            return APIResponse.error(.serviceUnavailable, "the report could not be read; retry later")
        }
    }

    /// The department filter's choices: the default departments, those in the report, and the
    /// one filtered on.
    static func departments(_ report: Report, _ filter: ReportFilter) -> [String] {
        var names = Set(Taxonomy.default.categories.map(\.department))
        for breakdown in report.breakdowns where breakdown.dimension == .department { names.formUnion(breakdown.rows.map(\.key)) }
        if let d = filter.department { names.insert(d) }
        return names.sorted()
    }

    static func invalid(_ error: DashboardQuery.Invalid, _ language: ReportDocument.Language) -> Response {
        let labels = ReportDocument.Labels(language: language)
        let html = DashboardPage.message(
            title: labels[.badRequestTitle], text: "\(error.field): \(error.reason)", language: language, keyForm: false, hiddenLanguage: false)
        return Self.html(html, status: .badRequest)
    }

    static func html(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
