import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// Health, readiness, metrics and graceful shutdown of a real classifier process
/// (docs/OBSERVABILITY.md): the contract the monitoring and deployment files rely on.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct WorkerObservabilityTests {
    /// The port a worker started with FEEDLOOP_HTTP_PORT=0 says it listens on.
    static func listeningPort(_ worker: WorkerProcess, pipeline: Pipeline) async throws -> Int {
        var port: Int?
        _ = await eventually(timeout: .seconds(30)) {
            guard let line = worker.log.split(separator: "\n").first(where: { $0.contains("health and metrics listening") }),
                let range = line.range(of: #"http://127\.0\.0\.1:([0-9]+)/"#, options: .regularExpression)
            else { return false }
            port = Int(line[range].dropFirst("http://127.0.0.1:".count).dropLast())
            return port != nil
        }
        return try #require(port, "no listening port logged:\n\(pipeline.logsSummary())")
    }

    static func readiness(_ pipeline: Pipeline, port: Int) async throws -> (status: Int, report: Readiness.Report) {
        let answer = try await pipeline.send("GET", port: port, path: "/health/ready")
        return (answer.status, try FeedloopJSON.decoder().decode(Readiness.Report.self, from: answer.body))
    }

    /// Publishes feedback.received for `count` new tickets, as the producer would.
    static func submit(_ count: Int, pipeline: Pipeline) throws -> [Int64] {
        let db = try pipeline.database.connect()
        defer { db.close() }
        let broker = try AMQPConnection(url: pipeline.vhost.amqpURL(), logger: TestServers.logger)
        defer { broker.close() }
        try broker.enableConfirms()
        var ids: [Int64] = []
        for i in 0..<count {
            let text = "第\(i)号订单的快递一直没有送到，物流信息也不更新"
            let id = try db.query(
                "INSERT INTO tickets (channel, external_id, customer_ref, customer_tier, body, received_at) VALUES ('chat', $1, $2, 'regular', $3, now()) RETURNING id",
                [.text(UUID().uuidString), .text("obs-\(i)-\(UUID().uuidString)"), .text(text)]
            )[0].decode(Int64.self, at: 0)
            ids.append(id)
            let m = try OutgoingMessage.event(
                FeedbackReceived(ticketId: id, channel: .chat, externalId: nil, text: text, customerTier: .regular, receivedAt: Date()))
            try broker.publish(
                exchange: m.exchange, routingKey: m.routingKey, body: m.body,
                properties: AMQPMessageProperties(contentType: "application/json", messageId: m.messageId, type: m.type, timestamp: m.timestamp))
        }
        try broker.waitForConfirms()
        return ids
    }

    @Test func aClassifierIsLiveReadyCountsWhatItHandlesAndStopsCleanlyOnSIGTERM() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_SHUTDOWN_TIMEOUT_S": "10"])
        defer { pipeline.tearDown() }
        let classifier = try pipeline.start("feedloop-classifier")
        let port = try await Self.listeningPort(classifier, pipeline: pipeline)

        let live = try await pipeline.send("GET", port: port, path: "/health/live")
        #expect(live.status == 200)
        #expect(String(decoding: live.body, as: UTF8.self) == #"{"status":"live"}"#)

        let ready = await eventually(timeout: .seconds(30)) { (try? await Self.readiness(pipeline, port: port).status) == 200 }
        #expect(ready, "never ready:\n\(pipeline.logsSummary())")
        let report = try await Self.readiness(pipeline, port: port).report
        #expect(report.status == "ready")
        #expect(report.checks == ["database": .ok, "broker": .ok, "topology": .ok])

        let ids = try Self.submit(7, pipeline: pipeline)
        var samples = PrometheusSamples("")
        let counted = await eventually(timeout: .seconds(30)) {
            guard let answer = try? await pipeline.send("GET", port: port, path: "/metrics") else { return false }
            samples = PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
            return samples.value("feedloop_messages_total", ["worker": "classifier", "outcome": "handled"]) == Double(ids.count)
        }
        #expect(counted, "handled count never reached \(ids.count): \(samples.value("feedloop_messages_total", ["worker": "classifier"]) ?? -1)")
        #expect(try pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE state <> 'received'") == ids.count)
        #expect(samples.value("feedloop_messages_total", ["worker": "classifier", "outcome": "failed"]) == 0)
        #expect(samples.value("feedloop_messages_total", ["worker": "classifier", "outcome": "dead_lettered"]) == 0)
        // Every message in some batch, every batch timed, every message's age taken.
        #expect(samples.value("feedloop_batch_size_sum", ["worker": "classifier"]) == Double(ids.count))
        let batches = try #require(samples.value("feedloop_batch_seconds_count", ["worker": "classifier"]))
        #expect(batches >= 1 && batches <= Double(ids.count))
        #expect(samples.value("feedloop_batch_seconds_bucket", ["worker": "classifier", "le": "+Inf"]) == batches)
        #expect(samples.value("feedloop_message_age_seconds_count", ["worker": "classifier"]) == Double(ids.count))
        // One ticket.classified per ticket, published from the outbox.
        #expect(samples.value("feedloop_outbox_published_total", ["worker": "classifier"]) == Double(ids.count))
        #expect(samples.value("feedloop_queue_messages", ["worker": "classifier", "queue": "feedloop.classifier"]) != nil)
        #expect(samples.value("feedloop_reconnects_total", ["worker": "classifier", "target": "broker"]) == 0)
        // Hummingbird's request metrics: the probes above were counted.
        #expect((samples.value("hb_requests_total", ["http_route": "/health/ready"]) ?? 0) >= 1)

        let started = ContinuousClock.now
        #expect(classifier.terminate(timeout: .seconds(15)) == 0, "no clean exit:\n\(pipeline.logsSummary())")
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func readinessIs503NamingTheBrokerWhileTheBrokerIsUnreachable() async throws {
        // A port nothing listens on: every connection attempt is refused.
        let closed = try Self.closedPort()
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_AMQP_URL": "amqp://guest:guest@127.0.0.1:\(closed)/%2f"])
        defer { pipeline.tearDown() }
        let classifier = try pipeline.start("feedloop-classifier")
        let port = try await Self.listeningPort(classifier, pipeline: pipeline)

        var last: (status: Int, report: Readiness.Report)?
        let named = await eventually(timeout: .seconds(30)) {
            last = try? await Self.readiness(pipeline, port: port)
            return last?.report.checks["broker"]?.reason?.contains("cannot connect to the broker") == true
        }
        #expect(named, "readiness never named the broker: \(String(describing: last))")
        #expect(last?.status == 503)
        #expect(last?.report.status == "not_ready")
        #expect(last?.report.checks["database"] == .ok)
        #expect(last?.report.checks["broker"]?.ok == false)
        #expect(try await pipeline.send("GET", port: port, path: "/health/live").status == 200)

        // Stops while still trying to connect.
        #expect(classifier.terminate(timeout: .seconds(15)) == 0, "no clean exit:\n\(pipeline.logsSummary())")
    }

    @Test func aWorkerStuckPastTheShutdownTimeoutExits1AndTheBrokerRedeliversItsMessage() async throws {
        let pipeline = try Pipeline(extraEnvironment: ["FEEDLOOP_SHUTDOWN_TIMEOUT_S": "1"])
        defer { pipeline.tearDown() }
        let classifier = try pipeline.start("feedloop-classifier", name: "classifier-stuck")
        let port = try await Self.listeningPort(classifier, pipeline: pipeline)
        #expect(await eventually(timeout: .seconds(30)) { (try? await Self.readiness(pipeline, port: port).status) == 200 })

        // Hold the ticket's row lock, so the classifier's transaction waits inside libpq.
        let blocker = try pipeline.database.connect()
        defer { blocker.close() }
        let db = try pipeline.database.connect()
        defer { db.close() }
        let id = try db.query(
            "INSERT INTO tickets (channel, external_id, customer_ref, customer_tier, body, received_at) VALUES ('chat', $1, 'obs-stuck', 'regular', $2, now()) RETURNING id",
            [.text(UUID().uuidString), .text("退款三周了还没有到账")]
        )[0].decode(Int64.self, at: 0)
        try blocker.execute(script: "BEGIN")
        _ = try blocker.query("SELECT id FROM tickets WHERE id = $1 FOR UPDATE", [.int(id)])
        let broker = try AMQPConnection(url: pipeline.vhost.amqpURL(), logger: TestServers.logger)
        defer { broker.close() }
        try broker.enableConfirms()
        let m = try OutgoingMessage.event(
            FeedbackReceived(ticketId: id, channel: .chat, externalId: nil, text: "退款三周了还没有到账", customerTier: .regular, receivedAt: Date()))
        try broker.publish(
            exchange: m.exchange, routingKey: m.routingKey, body: m.body,
            properties: AMQPMessageProperties(contentType: "application/json", messageId: m.messageId, type: m.type, timestamp: m.timestamp))
        try broker.waitForConfirms()
        let waiting = await eventually(timeout: .seconds(30)) {
            (try? db.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")[0]
                .decode(Int.self, at: 0)) ?? 0 >= 1
        }
        #expect(waiting, "the classifier never waited on the lock:\n\(pipeline.logsSummary())")

        // SIGTERM: it cannot finish the batch it holds, so the deadline ends it with 1.
        let started = ContinuousClock.now
        #expect(classifier.terminate(timeout: .seconds(15)) == 1, "\(pipeline.logsSummary())")
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(classifier.log.contains("graceful shutdown did not finish in time"))

        // Unacknowledged, so redelivered: another classifier handles it once the lock is gone.
        try blocker.execute(script: "ROLLBACK")
        try pipeline.start("feedloop-classifier", name: "classifier-after")
        let classified = await eventually(timeout: .seconds(30)) {
            (try? pipeline.database.scalar(String.self, "SELECT state::text FROM tickets WHERE id = $1", [.int(id)])) == "open"
        }
        #expect(classified, "\(pipeline.logsSummary())")
    }

    /// A port that was free a moment ago (bound, then released).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
