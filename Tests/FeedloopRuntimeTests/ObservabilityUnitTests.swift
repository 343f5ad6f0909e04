import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// The pure parts of health and metrics: queue lag from a delivery's times, the readiness
/// report, and the Prometheus text the metrics become.
struct ObservabilityUnitTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000.75)

    @Test func messageAgeUsesTheEnvelopeTimeWhenItIsTheSameSecondAsTheTimestamp() throws {
        // The AMQP timestamp holds whole seconds; occurred_at refines it to the millisecond.
        let occurred = Date(timeIntervalSince1970: 1_795_000_000.25)
        let timestamp = Date(timeIntervalSince1970: 1_795_000_000)
        let age = try #require(MessageAge.seconds(now: Self.now, timestamp: timestamp, occurredAt: occurred))
        #expect(abs(age - 0.5) < 1e-6)
    }

    @Test func messageAgeFallsBackToTheTimestampWhenTheEventIsOlderThanItsPublication() throws {
        // A retried copy keeps the original timestamp; an imported event occurred long before.
        let occurred = Date(timeIntervalSince1970: 1_794_000_000)
        let timestamp = Date(timeIntervalSince1970: 1_794_999_990)
        let age = try #require(MessageAge.seconds(now: Self.now, timestamp: timestamp, occurredAt: occurred))
        #expect(abs(age - 10.75) < 1e-6)
    }

    @Test func messageAgeIsNeverNegativeAndNilWithoutAnyTime() {
        let future = Self.now.addingTimeInterval(30)
        #expect(MessageAge.seconds(now: Self.now, timestamp: future, occurredAt: nil) == 0)
        #expect(MessageAge.seconds(now: Self.now, timestamp: nil, occurredAt: nil) == nil)
        #expect(MessageAge.seconds(now: Self.now, timestamp: nil, occurredAt: Self.now.addingTimeInterval(-2)) == 2)
    }

    @Test func readinessIsReadyOnlyWhenEveryCheckPassesAndNotWhileStopping() throws {
        let readiness = Readiness()
        #expect(readiness.report.status == "not_ready")
        #expect(readiness.report.checks["broker"] == .failing("not connected yet"))
        readiness.pass(.database)
        readiness.pass(.broker)
        #expect(!readiness.report.isReady)
        readiness.pass(.topology)
        #expect(readiness.report.isReady)
        #expect(readiness.report.checks.keys.sorted() == ["broker", "database", "topology"])

        readiness.fail(.broker, "connection lost; reconnecting")
        let broken = readiness.report
        #expect(broken.status == "not_ready")
        #expect(broken.checks["broker"] == .failing("connection lost; reconnecting"))
        #expect(broken.checks["database"] == .ok)

        readiness.pass(.broker)
        readiness.markStopping()
        let stopping = readiness.report
        #expect(!stopping.isReady)
        #expect(stopping.checks["shutdown"]?.ok == false)

        // The JSON shape /health/ready answers with.
        let json = try #require(String(data: try FeedloopJSON.encoder().encode(stopping), encoding: .utf8))
        #expect(json.contains("\"status\":\"not_ready\""))
        #expect(json.contains("\"shutdown\":{"))
    }

    @Test func workerMetricsAppearInThePrometheusText() throws {
        // A role name of its own, so other suites in this process do not add to the series.
        let worker = "unit-\(UUID().uuidString.prefix(8).lowercased())"
        let metrics = WorkerMetrics(worker: worker)
        metrics.count(.handled, 3)
        metrics.count(.duplicate)
        metrics.count(.deadLettered, 0)
        metrics.batch(size: 4, duration: .milliseconds(30))
        metrics.messageAge(seconds: 0.2)
        metrics.reconnected(.broker)
        metrics.published(2)
        metrics.queueDepth("feedloop.test").record(7)

        let text = try #require(String(bytes: FeedloopMetrics.exposition(), encoding: .utf8))
        let samples = PrometheusSamples(text)
        #expect(samples.value("feedloop_messages_total", ["worker": worker, "outcome": "handled"]) == 3)
        #expect(samples.value("feedloop_messages_total", ["worker": worker, "outcome": "duplicate"]) == 1)
        #expect(samples.value("feedloop_messages_total", ["worker": worker, "outcome": "dead_lettered"]) == 0)
        #expect(samples.value("feedloop_batch_size_sum", ["worker": worker]) == 4)
        #expect(samples.value("feedloop_batch_size_bucket", ["worker": worker, "le": "2.0"]) == 0)
        #expect(samples.value("feedloop_batch_size_bucket", ["worker": worker, "le": "5.0"]) == 1)
        #expect(samples.value("feedloop_batch_seconds_bucket", ["worker": worker, "le": "0.025"]) == 0)
        #expect(samples.value("feedloop_batch_seconds_bucket", ["worker": worker, "le": "0.05"]) == 1)
        #expect(samples.value("feedloop_message_age_seconds_count", ["worker": worker]) == 1)
        #expect(samples.value("feedloop_reconnects_total", ["worker": worker, "target": "broker"]) == 1)
        #expect(samples.value("feedloop_reconnects_total", ["worker": worker, "target": "database"]) == 0)
        #expect(samples.value("feedloop_outbox_published_total", ["worker": worker]) == 2)
        #expect(samples.value("feedloop_queue_messages", ["worker": worker, "queue": "feedloop.test"]) == 7)
        #expect(text.contains("# TYPE feedloop_batch_seconds histogram"))
        #expect(text.contains("# TYPE feedloop_messages_total counter"))
    }
}
