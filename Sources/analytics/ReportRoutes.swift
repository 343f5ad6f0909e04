import FeedloopRuntime
import Foundation
import Hummingbird
import Logging

/// The analytics HTTP API: the summary report and health.
struct ReportRoutes: Sendable {
    let pool: DatabasePool
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/reports/summary") { request, _ in await self.summary(request) }
        router.get("/health") { _, _ in await self.health() }
    }

    func summary(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        let range: ReportDateRange
        do {
            range = try ReportDateRange.parse(from: query.get("from"), to: query.get("to"))
        } catch let error as ReportDateRange.Invalid {
            return Self.json(
                ErrorBody(error: "invalid date range", fields: [.init(field: error.parameter, reason: error.reason)]), status: .badRequest
            )
        } catch {
            return Self.json(ErrorBody(error: "invalid date range", fields: nil), status: .badRequest)
        }
        do {
            let report = try await pool.withConnection { db in try SummaryReport.load(range, from: db) }
            return Self.json(report, status: .ok)
        } catch {
            logger.error("summary report failed", metadata: ["error": "\(String(reflecting: error))"])
            return Self.json(ErrorBody(error: "the report could not be read; retry later", fields: nil), status: .serviceUnavailable)
        }
    }

    func health() async -> Response {
        do {
            _ = try await pool.withConnection { db in try db.query("SELECT 1") }
            return Self.json(["status": "ok"], status: .ok)
        } catch {
            logger.warning("health check: database unreachable", metadata: ["error": "\(String(reflecting: error))"])
            return Self.json(["status": "unavailable", "error": "database unreachable"], status: .serviceUnavailable)
        }
    }

    /// `{"error": "...", "fields": [{"field": ..., "reason": ...}]}`, as the producer answers.
    struct ErrorBody: Encodable {
        struct Field: Encodable {
            var field: String
            var reason: String
        }
        var error: String
        var fields: [Field]?
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
