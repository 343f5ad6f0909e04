import FeedloopCore
import FeedloopRuntime
import Foundation
import Hummingbird

/// `/health/live`, `/health/ready` and `/metrics`, the same on every Feedloop server
/// (docs/OBSERVABILITY.md). Open: probes and Prometheus carry no API key, and none of the
/// answers holds personal data.
public struct ObservabilityRoutes: Sendable {
    public let readiness: Readiness
    /// Runs before `/health/ready` answers, for a server whose checks are not all kept up to
    /// date by a loop (the producer checks its request pool here).
    let refresh: @Sendable () async -> Void

    public init(readiness: Readiness, refresh: @escaping @Sendable () async -> Void = {}) {
        self.readiness = readiness
        self.refresh = refresh
    }

    /// The paths these routes serve, for route listings and the OpenAPI check.
    public static let paths = ["/health/live", "/health/ready", "/metrics"]

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/health/live") { _, _ in
            // Answering at all is the proof: the process runs and its event loop is not stuck.
            APIResponse.json(["status": "live"], status: .ok)
        }
        router.get("/health/ready") { _, _ in
            await refresh()
            let report = readiness.report
            return APIResponse.json(report, status: report.isReady ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: FeedloopMetrics.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: FeedloopMetrics.exposition()))
            )
        }
    }
}
