import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

@Suite(.serialized) struct ClassifierModelStoreTests {
    static func models(name: String) throws -> ClassifierModelSet {
        let rows: [(String, Category, Sentiment)] = [
            ("快递太慢了", .logistics, .negative), ("物流很快", .logistics, .positive), ("包裹还没到", .logistics, .negative),
            ("the parcel was late", .logistics, .negative), ("屏幕碎了", .product, .negative), ("质量很好", .product, .positive),
            ("the screen cracked", .product, .negative), ("great battery", .product, .positive),
        ]
        let examples = rows.enumerated().map { LabeledExample(line: $0 + 1, text: $1.0, categories: [$1.1], sentiment: $1.2) }
        return try ModelTrainer().train(examples, name: name, fileName: "store-test.jsonl", trainedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func saveActivateLoadAndList() throws {
        let database = try ScratchDatabase.create()
        defer { database.drop() }
        let db = try database.connect()
        defer { db.close() }

        #expect(try ClassifierModelStore.activeVersion(in: db) == nil)
        let first = try Self.models(name: "first")
        let v1 = try ClassifierModelStore.save(first, activate: false, in: db)
        #expect(try ClassifierModelStore.activeVersion(in: db) == nil)
        let v2 = try ClassifierModelStore.save(try Self.models(name: "second"), activate: true, in: db)
        #expect(v2 > v1)
        #expect(try ClassifierModelStore.activeVersion(in: db) == v2)

        let loaded = try ClassifierModelStore.load(version: v1, in: db)
        var expected = first
        expected.version = v1
        #expect(loaded == expected)
        #expect(try loaded.serialized() == first.serialized())

        try ClassifierModelStore.activate(version: v1, in: db)
        #expect(try ClassifierModelStore.activeVersion(in: db) == v1)
        let listed = try ClassifierModelStore.list(in: db)
        #expect(listed.map(\.version) == [v2, v1])
        #expect(listed.map(\.active) == [false, true])
        #expect(listed[1].name == "first" && listed[1].trainingRows == 8 && listed[1].trainingFile == "store-test.jsonl")

        #expect(throws: ClassifierModelStore.StoreError.self) { try ClassifierModelStore.activate(version: 9999, in: db) }
        #expect(try ClassifierModelStore.activeVersion(in: db) == v1, "a failed activation changes nothing")
        #expect(throws: ClassifierModelStore.StoreError.self) { try ClassifierModelStore.load(version: 9999, in: db) }
        // The schema itself refuses a second active version.
        #expect(throws: (any Error).self) { try db.query("UPDATE classifier_models SET active = true WHERE version = $1", [.int(Int64(v2))]) }
    }
}
