import AMQP
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// `feedloop-producer import` as a process against a scratch database and broker vhost:
/// rejects with their lines, publishing, reruns, and resuming after SIGKILL without duplicates.
@Suite(.serialized, .enabled(if: TestServers.shouldRun))
struct ImportTests {
    static var producer: String { WorkerProcess.binDirectory.appendingPathComponent("feedloop-producer").path }

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueName("feedloop-import"))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func environment(_ database: ScratchDatabase, _ vhost: ScratchVirtualHost?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["FEEDLOOP_DATABASE_URL"] = database.url
        env["FEEDLOOP_AMQP_URL"] = vhost?.url ?? TestServers.amqpURL ?? ""
        env["FEEDLOOP_LOG_LEVEL"] = "warning"
        return env
    }

    static func rejects(_ path: String) throws -> [(line: Int, fields: [String])] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let errors = json["errors"] as! [[String: String]]
            return ((json["line"] as! NSNumber).intValue, errors.map { $0["field"]! })
        }
    }

    @Test func badRowsAreRejectedWithTheirLinesAndTheGoodOnesStoredAndPublished() throws {
        let database = try ScratchDatabase.create()
        defer { database.drop() }
        let vhost = try ScratchVirtualHost.create()
        defer { vhost.delete() }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("工单.csv").path
        let csv = [
            "工单号,内容,客户编号,等级,手机",
            "T1,\"无法登录,",
            "一直提示网络错误\",C1,vip,+8613812341234",
            "T2,,C2,regular,",
            "T3,退款太慢,C1,,",
            ",\"no id, \"\"quoted\"\"\",,new,",
            "T5,bad phone,C5,regular,12ab",
            "T6,\"broken\"quote,C6,,",
            "T7,wrong tier,C7,gold,",
            "",
            "T8,last one,C8,new,",
        ].joined(separator: "\n")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let env = Self.environment(database, vhost)
        let args = [
            "import", file, "--channel", "hotline", "--map", "external_id=工单号", "--map", "text=内容", "--map", "customer_ref=客户编号",
            "--map", "customer_tier=等级", "--map", "customer_phone=手机",
        ]

        let first = try ProcessRunner.run(Self.producer, args, environment: env)
        #expect(first.status == 65, "\(first.output)")
        #expect(first.output.contains("imported 4, duplicates 0, rejected 4, lines 11"), "\(first.output)")
        let rejected = try Self.rejects(file + ".rejects.jsonl")
        #expect(rejected.map(\.line) == [4, 7, 8, 9])
        #expect(rejected.map(\.fields) == [["text"], ["customer_phone"], ["row"], ["customer_tier"]])
        let raw = try String(contentsOfFile: file + ".rejects.jsonl", encoding: .utf8)
        #expect(raw.contains(#""record":"T6,\"broken\"quote,C6,,""#))

        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets") == 4)
        #expect(try database.scalar(String.self, "SELECT body FROM tickets WHERE external_id = 'T1'") == "无法登录,\n一直提示网络错误")
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets WHERE channel = 'hotline' AND customer_id IS NOT NULL") == 3)
        #expect(try database.scalar(String.self, "SELECT phone FROM customers WHERE external_ref = 'C1'") == "+8613812341234")
        #expect(try database.scalar(String.self, "SELECT tier FROM customers WHERE external_ref = 'C1'") == "vip")
        #expect(try database.scalar(String.self, "SELECT idempotency_key FROM tickets WHERE external_id IS NULL").hasPrefix("import:"))
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM ticket_transitions WHERE to_state = 'received'") == 4)
        // Published with confirms: the outbox is empty and the classifier's queue holds one event per ticket.
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM outbox") == 0)
        let broker = try AMQPConnection(url: try vhost.amqpURL(), heartbeat: 30, connectionName: "import-test", logger: TestServers.logger)
        defer { broker.close() }
        #expect(try broker.inspectQueue("feedloop.classifier").messageCount == 4)

        // A finished import does nothing when run again; --restart reads it all and stores nothing twice.
        let again = try ProcessRunner.run(Self.producer, args, environment: env)
        #expect(again.output.contains("already imported"), "\(again.output)")
        let restart = try ProcessRunner.run(Self.producer, args + ["--restart"], environment: env)
        #expect(restart.output.contains("imported 0, duplicates 4, rejected 4"), "\(restart.output)")
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets") == 4)
        #expect(try Self.rejects(file + ".rejects.jsonl").count == 4)
        #expect(try broker.inspectQueue("feedloop.classifier").messageCount == 4)
    }

    @Test func headerWithoutTheMappedColumnStoresNothing() throws {
        let database = try ScratchDatabase.create()
        defer { database.drop() }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x.csv").path
        try "channel,body\nchat,hello\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(Self.producer, ["import", file, "--no-publish"], environment: Self.environment(database, nil))
        #expect(result.status == 65)
        #expect(result.output.contains("x.csv:1: header: has no column for text"), "\(result.output)")
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets") == 0)
        let unknown = try ProcessRunner.run(Self.producer, ["import", file, "--map", "body=text"], environment: Self.environment(database, nil))
        #expect(unknown.status == 64)
        #expect(unknown.output.contains("unknown field \"body\""), "\(unknown.output)")
    }

    @Test func resumesAfterSIGKILLWithoutDuplicates() async throws {
        let database = try ScratchDatabase.create()
        defer { database.drop() }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.jsonl").path
        let rows = 30_000
        var text = ""
        var invalid = 0
        for i in 0..<rows {
            if i % 997 == 0 {
                text += "{\"channel\":\"chat\",\"text\":\"\"}\n"
                invalid += 1
            } else if i % 5 == 0 {
                text += "{\"channel\":\"email\",\"text\":\"没有编号的反馈 \(i)\"}\n"
            } else {
                text += "{\"channel\":\"chat\",\"external_id\":\"K\(i)\",\"text\":\"feedback \(i)\",\"customer\":{\"ref\":\"C\(i % 300)\"}}\n"
            }
        }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let env = Self.environment(database, nil)
        let args = ["import", file, "--batch-size", "100", "--no-publish", "--read-chunk-bytes", "4093"]

        let process = try WorkerProcess("feedloop-producer", arguments: args, environment: env, name: "import-killed", logDirectory: dir)
        let kill = Tripwire(
            when: { ((try? database.scalar(Int.self, "SELECT coalesce(max(line), 0)::int8 FROM import_runs")) ?? 0) >= 3000 },
            then: {
                process.kill()
                return 0
            })
        let committed = await kill.result() != nil
        process.kill()
        #expect(committed, "\(process.log)")
        let line = try database.scalar(Int.self, "SELECT line FROM import_runs")
        #expect(try database.scalar(Bool.self, "SELECT finished_at IS NULL FROM import_runs"), "the import finished before the kill")
        #expect(line < rows)

        let resumed = try ProcessRunner.run(Self.producer, args, environment: env)
        #expect(resumed.status == 65, "\(resumed.output)")
        #expect(resumed.output.contains("resuming at line"), "\(resumed.output)")
        let valid = rows - invalid
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets") == valid)
        #expect(try database.scalar(Int.self, "SELECT count(DISTINCT body) FROM tickets") == valid)
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM outbox") == valid)
        #expect(try database.scalar(Int.self, "SELECT count(DISTINCT ticket_id) FROM outbox") == valid)
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM ticket_transitions") == valid)
        #expect(try database.scalar(Int.self, "SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id)") == 0)
        #expect(try database.scalar(Int.self, "SELECT imported + duplicates FROM import_runs") == valid)
        #expect(try database.scalar(Int.self, "SELECT rejected FROM import_runs") == invalid)
        // The rejects file lists each invalid line once, though the killed run may have written some already.
        let rejected = try Self.rejects(file + ".rejects.jsonl").map(\.line)
        #expect(rejected == stride(from: 0, to: rows, by: 997).map { $0 + 1 })
    }
}
