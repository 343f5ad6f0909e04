import AMQP
import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// The classifier process on a real broker and database: duplicates of the same customer,
/// incidents across customers, and a taxonomy file it refuses.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct ClassifierTests {
    static let classifiedQueue = "test.classified"

    /// A pipeline with only the classifier, the topology declared and a queue catching ticket.classified.
    struct Fixture {
        let pipeline: Pipeline
        let broker: AMQPConnection

        init(environment: [String: String] = [:]) throws {
            pipeline = try Pipeline(extraEnvironment: environment)
            broker = try AMQPConnection(url: pipeline.vhost.amqpURL(), logger: TestServers.logger)
            // The same arguments as the worker (Pipeline sets FEEDLOOP_RETRY_DELAY_MS=500), or the broker refuses the second declaration.
            try Topology.declare(.classifier, on: broker, deliveryLimit: 20, retryDelay: .milliseconds(500))
            try broker.declareQueue(ClassifierTests.classifiedQueue, arguments: ["x-queue-type": .string("quorum")])
            try broker.bindQueue(ClassifierTests.classifiedQueue, exchange: Topology.eventsExchange, routingKey: EventType.ticketClassified.rawValue)
            try broker.enableConfirms()
            try pipeline.start("feedloop-classifier")
        }

        /// Stores `received` tickets (as the producer would) and publishes their feedback.received.
        @discardableResult
        func submit(_ items: [(customer: String?, text: String, minutesAgo: Double)]) throws -> [Int64] {
            let db = try pipeline.database.connect()
            defer { db.close() }
            var ids: [Int64] = []
            for (i, item) in items.enumerated() {
                let receivedAt = Date().addingTimeInterval(-item.minutesAgo * 60)
                let id = try db.query(
                    "INSERT INTO tickets (channel, external_id, customer_ref, customer_tier, body, received_at) VALUES ('chat', $1, $2, 'regular', $3, $4) RETURNING id",
                    [.text(UUID().uuidString + "-\(i)"), item.customer.map { .text($0) } ?? .null, .text(item.text), .timestamp(receivedAt)]
                )[0].decode(Int64.self, at: 0)
                ids.append(id)
                let event = FeedbackReceived(ticketId: id, channel: .chat, externalId: nil, text: item.text, customerTier: .regular, receivedAt: receivedAt)
                let m = try OutgoingMessage.event(event)
                try broker.publish(
                    exchange: m.exchange, routingKey: m.routingKey, body: m.body,
                    properties: AMQPMessageProperties(contentType: "application/json", messageId: m.messageId, type: m.type))
            }
            try broker.waitForConfirms()
            return ids
        }

        func settled(_ ids: [Int64]) async -> Bool {
            await eventually(timeout: .seconds(60)) {
                (try? pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE id = ANY($1::int8[]) AND state <> 'received'", [.intArray(ids)]))
                    == ids.count
            }
        }

        func text(_ sql: String, _ parameters: [PostgresBind] = []) throws -> String {
            try pipeline.database.scalar(String.self, sql, parameters)
        }

        func tearDown() {
            broker.close()
            pipeline.tearDown()
        }
    }

    @Test func aRepeatFromTheSameCustomerIsLinkedToTheFirstAndNotWorkedTwice() async throws {
        let f = try Fixture()
        defer { f.tearDown() }
        let complaint = "我买的耳机左边没有声音，已经联系客服三次了都没人处理，请尽快给我换货"
        let first = try f.submit([("cust-a", complaint, 30)])
        #expect(await f.settled(first))

        // One batch: a resend with changed punctuation, another text from the same customer,
        // the same text from a different customer, and a pair of copies within the batch.
        let later = try f.submit([
            ("cust-a", complaint + "！！", 10),
            ("cust-a", "另外你们的快递也太慢了，等了一个星期才到", 9),
            ("cust-b", complaint, 8),
            ("cust-c", "The refund for order 1234 has still not arrived after two weeks", 7),
            ("cust-c", "The refund for order 1234 has still not arrived after two weeks.", 6),
        ])
        #expect(await f.settled(later), "\(f.pipeline.logsSummary())")

        let states = try f.text(
            "SELECT string_agg(state || ':' || coalesce(duplicate_of::text, '-'), ',' ORDER BY id) FROM tickets WHERE id = ANY($1::int8[])",
            [.intArray(later)])
        #expect(states == "duplicate:\(first[0]),open:-,open:-,open:-,duplicate:\(later[3])")
        #expect(
            try f.pipeline.database.scalar(
                Int.self, "SELECT count(*) FROM ticket_transitions WHERE to_state = 'duplicate' AND reason LIKE 'near-identical to ticket %'") == 2)
        // Not worked twice: no classification, no open transition, no ticket.classified.
        #expect(
            try f.pipeline.database.scalar(
                Int.self, "SELECT count(*) FROM tickets WHERE state = 'duplicate' AND (category IS NOT NULL OR classified_at IS NOT NULL)") == 0)
        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM ticket_transitions WHERE to_state = 'open'") == 4)
        let published = await eventually { (try? f.broker.inspectQueue(Self.classifiedQueue).messageCount) == 4 }
        #expect(published)
        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE simhash IS NULL") == 0)
        #expect(f.pipeline.stopAll().isEmpty)
    }

    @Test func similarComplaintsFromManyCustomersFormOneUrgentIncident() async throws {
        let f = try Fixture()
        defer { f.tearDown() }
        let texts = [
            "更新后App打不开了，一直闪退", "更新后app打不开了 一直闪退！", "更新后APP打不开了，一直闪退。。。", "更新后App打不开了,一直闪退",
            "更新后 app 打不开了 一直闪退", "更新后App打不开了！一直闪退",
        ]
        // Three customers earlier, in their own batch, then three more: the fifth customer opens the incident.
        let early = try f.submit((0..<3).map { ("crowd-\($0)", texts[$0], 20 - Double($0)) })
        #expect(await f.settled(early))
        // An unrelated complaint of another customer in the same minutes stays out of it.
        let late = try f.submit((3..<6).map { ("crowd-\($0)", texts[$0], 10 - Double($0)) } + [("other", "客服态度很差，问了半天没人回答", 5)])
        #expect(await f.settled(late), "\(f.pipeline.logsSummary())")

        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM incidents") == 1)
        let incident = try f.text("SELECT category || '/' || coalesce(subcategory, '') || '/' || tickets || '/' || customers FROM incidents")
        #expect(incident.hasPrefix("product/"))
        #expect(incident.hasSuffix("/6/6"))
        let all = early + late.prefix(3)
        #expect(
            try f.pipeline.database.scalar(
                Int.self, "SELECT count(DISTINCT incident_id) FROM tickets WHERE id = ANY($1::int8[]) AND incident_id IS NOT NULL", [.intArray(all)]) == 1)
        #expect(
            try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE id = ANY($1::int8[]) AND incident_id IS NULL", [.intArray(all)])
                == 0)
        // From the fifth customer on: level 1 by the incident rule; the first four keep their level.
        let levels = try f.text(
            "SELECT string_agg(level || ':' || level_rule, ',' ORDER BY received_at) FROM tickets WHERE id = ANY($1::int8[]) AND level_rule = 'incident'",
            [.intArray(all)])
        #expect(levels == "1:incident,1:incident")
        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE id = $1 AND incident_id IS NULL", [.int(late[3])]) == 1)

        // A later batch finds the incident through its stored members (no neighbour is outside it any more).
        let joining = try f.submit([("crowd-6", texts[1], 1)])
        #expect(await f.settled(joining), "\(f.pipeline.logsSummary())")
        #expect(try f.pipeline.database.scalar(Int.self, "SELECT count(*) FROM incidents") == 1)
        #expect(try f.text("SELECT tickets || '/' || customers FROM incidents") == "7/7")
        #expect(
            try f.text("SELECT level || ':' || level_rule || ':' || (incident_id IS NOT NULL) FROM tickets WHERE id = $1", [.int(joining[0])])
                == "1:incident:true")
        #expect(f.pipeline.stopAll().isEmpty)
    }

    @Test func aRunningClassifierSwitchesToANewlyActivatedModelWithoutRestart() async throws {
        let f = try Fixture(environment: ["FEEDLOOP_MODEL_REFRESH_S": "1"])
        defer { f.tearDown() }
        let before = try f.submit([("cust-m1", "我的包裹一直没到，物流信息也不更新", 5)])
        #expect(await f.settled(before))
        #expect(try f.text("SELECT coalesce(model_version::text, 'none') FROM tickets WHERE id = $1", [.int(before[0])]) == "none")

        let rows: [(String, Category, Sentiment)] = [
            ("快递太慢了", .logistics, .negative), ("物流很快", .logistics, .positive), ("包裹还没到", .logistics, .negative),
            ("the parcel was late", .logistics, .negative), ("屏幕碎了", .product, .negative), ("质量很好", .product, .positive),
            ("the screen cracked", .product, .negative), ("great battery", .product, .positive),
        ]
        let examples = rows.enumerated().map { LabeledExample(line: $0 + 1, text: $1.0, categories: [$1.1], sentiment: $1.2) }
        let models = try ModelTrainer().train(examples, name: "swap-test", fileName: "swap.jsonl", trainedAt: Date())
        let db = try f.pipeline.database.connect()
        let version = try ClassifierModelStore.save(models, activate: true, in: db)
        db.close()

        // The worker polls every second; items sent after that carry the new version.
        let switched = await eventually(timeout: .seconds(30), every: .seconds(1)) {
            guard let ids = try? f.submit([("cust-m\(UUID().uuidString)", "包裹还没到，快递太慢了", 1)]), await f.settled(ids) else { return false }
            return (try? f.text("SELECT coalesce(model_version::text, 'none') FROM tickets WHERE id = $1", [.int(ids[0])])) == String(version)
        }
        #expect(switched, "\(f.pipeline.logsSummary())")
        #expect(f.pipeline.workers.map(\.log).joined().contains("classifier model switched"))
        #expect(f.pipeline.stopAll().isEmpty)
    }

    @Test func aBadTaxonomyFileStopsTheWorkerWithFileAndLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("taxonomy"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.yaml").path
        try "categories:\n  - id: product\n    department: rd\n    keywords:\n      - weight: -2\n        terms: [坏了]\n".write(
            toFile: path, atomically: true, encoding: .utf8)

        let pipeline = try Pipeline()
        defer { pipeline.tearDown() }
        let worker = try pipeline.start("feedloop-classifier", environment: ["FEEDLOOP_TAXONOMY": path])
        let exited = await eventually(timeout: .seconds(30)) { !worker.isRunning }
        #expect(exited)
        #expect(worker.terminate() != 0)
        #expect(worker.log.contains("\(path):5: weight must be positive, got -2"), "\(worker.log)")
        #expect(worker.log.contains("\(path):2: category other is missing"), "\(worker.log)")
    }
}
