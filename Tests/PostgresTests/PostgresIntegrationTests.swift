import Foundation
import Postgres
import Testing

/// Against a real server, in a database created for this suite (see ``TemporaryDatabaseTrait``).
@Suite(
    .serialized,
    .enabled(if: TestDatabase.shouldRun, Comment(rawValue: TestDatabase.missingServerMessage)),
    .temporaryDatabase
)
struct PostgresIntegrationTests {
    static let tricky = "中文：你好，世界 'single' \"double\" back\\slash \\N tab\there\nnewline\r\n{,} NULL"

    @Test func everyBindTypeRoundTrips() throws {
        let db = try TestDatabase.connect()
        try db.execute(
            script: """
                CREATE TABLE binds (
                    id int8 PRIMARY KEY, t text, i int8, d float8, b bool, ts timestamptz,
                    j jsonb, ta text[], ia int8[]);
                """)
        let json = #"{"text": "中文 \"quoted\" back\\slash", "list": [1, -2.5, null, true]}"#
        let micros = Date(timeIntervalSince1970: 1_795_421_700.123456)
        let early = Date(timeIntervalSince1970: -86_400.000001)
        let texts = ["", "NULL", "null", "中文", #"say "hi""#, #"back\slash"#, #"\""#, "a,b", "{x}", " padded ", Self.tricky]
        let rows: [[PostgresBind]] = [
            [
                .int(1), .text(Self.tricky), .int(.min), .double(-1.25e-7), .bool(true), .timestamp(micros),
                .jsonb(json), .textArray(texts), .intArray([-1, 0, .max, .min]),
            ],
            [.int(2), .null, .null, .null, .null, .null, .null, .null, .null],
            [
                .int(3), .text(""), .int(-42), .double(.infinity), .bool(false), .timestamp(early),
                .jsonb("[]"), .textArray([]), .intArray([]),
            ],
        ]
        for row in rows {
            try db.query("INSERT INTO binds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", row)
        }
        let result = try db.query("SELECT id, t, i, d, b, ts, j = $1 AS json_equal, ta, ia FROM binds ORDER BY id", [.jsonb(json)])
        #expect(result.count == 3)
        #expect(result.columns == ["id", "t", "i", "d", "b", "ts", "json_equal", "ta", "ia"])

        let first = result[0]
        #expect(try first.decode(Int64.self, "id") == 1)
        #expect(try first.decode(String.self, "t") == Self.tricky)
        #expect(try first.decode(Int64.self, "i") == .min)
        #expect(try first.decode(Double.self, "d") == -1.25e-7)
        #expect(try first.decode(Bool.self, "b") == true)
        #expect(try first.decode(Date.self, "ts") == micros)
        #expect(try first.decode(Bool.self, "json_equal") == true)
        #expect(try first.decode([String].self, "ta") == texts)
        #expect(try first.decode([Int64].self, "ia") == [-1, 0, .max, .min])

        let nulls = result[1]
        #expect(nulls.values.dropFirst().allSatisfy { $0 == nil })
        #expect(try nulls.decode(String?.self, "t") == nil)
        #expect(try nulls.decode(Int64?.self, "i") == nil)
        #expect(try nulls.decode(Double?.self, "d") == nil)
        #expect(try nulls.decode(Bool?.self, "b") == nil)
        #expect(try nulls.decode(Date?.self, "ts") == nil)
        #expect(try nulls.decode([String]?.self, "ta") == nil)
        #expect(try nulls.decode([Int64]?.self, "ia") == nil)

        let third = result[2]
        #expect(try third.decode(String.self, "t") == "")
        #expect(try third.decode(Int.self, "i") == -42)
        #expect(try third.decode(Double.self, "d") == .infinity)
        #expect(try third.decode(Bool.self, "b") == false)
        #expect(try third.decode(Date.self, "ts") == early)
        #expect(try third.decode([String].self, "ta") == [])
        #expect(try third.decode([Int64].self, "ia") == [])
    }

    @Test func parametersCarryTheirDeclaredTypes() throws {
        let db = try TestDatabase.connect()
        let binds: [(PostgresBind, String)] = [
            (.text("x"), "text"), (.int(1), "bigint"), (.double(1), "double precision"), (.bool(true), "boolean"),
            (.timestamp(Date()), "timestamp with time zone"), (.jsonb("{}"), "jsonb"),
            (.textArray(["a"]), "text[]"), (.intArray([1]), "bigint[]"),
        ]
        for (bind, type) in binds {
            #expect(try db.query("SELECT pg_typeof($1)::text", [bind])[0].decode(String.self, at: 0) == type)
        }
        #expect(try db.query("SELECT $1::int8 IS NULL", [.null])[0].decode(Bool.self, at: 0))
        #expect(try db.query("SELECT $1 = 'NaN'::float8", [.double(.nan)])[0].decode(Bool.self, at: 0))
    }

    @Test func sqlInAParameterIsStoredLiterally() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE injection (v text)")
        let attack = "'); DROP TABLE injection; --"
        try db.query("INSERT INTO injection (v) VALUES ($1)", [.text(attack)])
        try db.query("INSERT INTO injection (v) SELECT unnest($1::text[])", [.textArray([attack, "\"}); DROP TABLE injection; --"])])
        let values = try db.query("SELECT v FROM injection ORDER BY v").map { try $0.decode(String.self, "v") }
        #expect(values.sorted() == [attack, attack, "\"}); DROP TABLE injection; --"].sorted())
    }

    @Test func datesAreReadInAnySessionTimeZone() throws {
        let db = try TestDatabase.connect()
        let instant = Date(timeIntervalSince1970: 1_795_421_700.5)
        for zone in ["UTC", "Asia/Kolkata", "America/Los_Angeles", "Asia/Kathmandu"] {
            try db.query("SELECT set_config('TimeZone', $1, false)", [.text(zone)])
            let row = try db.query("SELECT $1::timestamptz AS ts, $1::timestamptz::text AS raw", [.timestamp(instant)])[0]
            let raw = try row.decode(String.self, "raw")
            #expect(try row.decode(Date.self, "ts") == instant, "\(zone): \(raw)")
        }
        let date = try db.query("SELECT DATE '2026-11-23' AS d")[0].decode(Date.self, "d")
        #expect(date == Date(timeIntervalSince1970: 1_795_392_000))
    }

    @Test func transactionCommits() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE committed (v int8)")
        let value = try db.transaction { tx in
            try tx.query("INSERT INTO committed VALUES (1), (2)")
            return "done"
        }
        #expect(value == "done")
        let other = try TestDatabase.connect()
        #expect(try other.query("SELECT count(*) FROM committed")[0].decode(Int.self, at: 0) == 2)
    }

    @Test func throwInsideTransactionRollsBack() throws {
        struct Boom: Error {}
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE rolled_back (v int8)")
        #expect(throws: Boom.self) {
            try db.transaction { tx in
                try tx.query("INSERT INTO rolled_back VALUES (1)")
                throw Boom()
            }
        }
        #expect(try db.query("SELECT count(*) FROM rolled_back")[0].decode(Int.self, at: 0) == 0)
        // The connection is back in autocommit and usable.
        try db.query("INSERT INTO rolled_back VALUES (2)")
        #expect(try TestDatabase.connect().query("SELECT count(*) FROM rolled_back")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func aSwallowedErrorInsideATransactionFailsTheCommit() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE swallowed (v int8 PRIMARY KEY)")
        let error = try expectPostgresError {
            try db.transaction { tx in
                try tx.query("INSERT INTO swallowed VALUES (1)")
                _ = try? tx.query("INSERT INTO swallowed VALUES (1)")
            }
        }
        #expect(error.code == .serverError)
        #expect(try db.query("SELECT count(*) FROM swallowed")[0].decode(Int.self, at: 0) == 0)
    }

    @Test func transactionsDoNotNest() throws {
        let db = try TestDatabase.connect()
        let error = try expectPostgresError {
            try db.transaction { tx in try tx.transaction { _ in } }
        }
        #expect(error.code == .invalidArgument)
        #expect(try db.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func uniqueViolationCarriesSQLState() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE uniq (k text PRIMARY KEY)")
        try db.query("INSERT INTO uniq VALUES ($1)", [.text("a")])
        let error = try expectPostgresError { try db.query("INSERT INTO uniq VALUES ($1)", [.text("a")]) }
        #expect(error.code == .serverError)
        #expect(error.sqlState == "23505")
        #expect(error.isUniqueViolation)
        #expect(error.query == "INSERT INTO uniq VALUES ($1)")
        #expect(try db.query("SELECT count(*) FROM uniq")[0].decode(Int.self, at: 0) == 1)
    }

    @Test func syntaxErrorCarriesSQLState() throws {
        let db = try TestDatabase.connect()
        let error = try expectPostgresError { try db.query("SELEC 1") }
        #expect(error.code == .serverError)
        #expect(error.sqlState == "42601")
        #expect(!error.isUniqueViolation)
        #expect(error.message.contains("syntax error"))
    }

    @Test func decodingNullIntoNonOptionalNamesTheColumn() throws {
        let db = try TestDatabase.connect()
        let row = try db.query("SELECT NULL::int8 AS maybe_count, 5 AS n")[0]
        let error = try expectPostgresError { _ = try row.decode(Int64.self, "maybe_count") }
        #expect(error.code == .decodingFailed)
        #expect(error.message.contains("maybe_count"))
        #expect(try row.decode(Int64?.self, "maybe_count") == nil)
        #expect(try row.decode(Int16.self, "n") == 5)
    }

    @Test func affectedRowsCountChanges() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE counted (id int8, flag bool)")
        #expect(try db.query("INSERT INTO counted SELECT g, false FROM generate_series(1, 5) g").affectedRows == 5)
        #expect(try db.query("UPDATE counted SET flag = true WHERE id <= $1", [.int(3)]).affectedRows == 3)
        #expect(try db.query("UPDATE counted SET flag = true WHERE id > 100").affectedRows == 0)
        #expect(try db.query("DELETE FROM counted WHERE flag").affectedRows == 3)
        let select = try db.query("SELECT * FROM counted")
        #expect(select.count == 2)
        #expect(try db.query("CREATE INDEX ON counted (id)").affectedRows == 0)
    }

    @Test func executeRunsScripts() throws {
        let db = try TestDatabase.connect()
        try db.execute(
            script: """
                CREATE TABLE scripted (v text);
                INSERT INTO scripted VALUES ('a');
                INSERT INTO scripted VALUES ('b');
                """)
        #expect(try db.query("SELECT count(*) FROM scripted")[0].decode(Int.self, at: 0) == 2)
        let error = try expectPostgresError { try db.execute(script: "INSERT INTO scripted VALUES ('c'); SELEC 1;") }
        #expect(error.sqlState == "42601")
        // A script runs as one implicit transaction: nothing of it stays after an error.
        #expect(try db.query("SELECT count(*) FROM scripted")[0].decode(Int.self, at: 0) == 2)
    }

    @Test func nulBytesAreRejectedBeforeSending() throws {
        let db = try TestDatabase.connect()
        let error = try expectPostgresError { try db.query("SELECT $1::text", [.text("a\u{0}b")]) }
        #expect(error.code == .invalidArgument)
        #expect(!error.description.contains("a\u{0}b"))
    }

    @Test func copyInLoadsTenThousandTrickyRows() throws {
        let db = try TestDatabase.connect()
        try db.query(#"CREATE TABLE "copy ""target""" (id int8 PRIMARY KEY, body text, note text, tags text[])"#)
        let specials = [Self.tricky, "\\N", "\\.", "", " ", "\t", "\n", "\r", "\\", "end\\", "中文", "'); DROP TABLE x; --"]
        let rows: [[String?]] = (0..<10_000).map { i in
            let body = specials[i % specials.count] + "#\(i)"
            let note: String? = i % 7 == 0 ? nil : specials[(i / 3) % specials.count]
            return [String(i), body, note, PostgresTextFormat.arrayLiteral([body, "x"])]
        }
        let copied = try db.copyIn(table: #"copy "target""#, columns: ["id", "body", "note", "tags"], rows: rows)
        #expect(copied == 10_000)
        let back = try db.query(#"SELECT id, body, note, tags FROM "copy ""target""" ORDER BY id"#)
        #expect(back.count == 10_000)
        var mismatches = 0
        for (row, expected) in zip(back, rows) {
            let actual: [String?] = [String(try row.decode(Int64.self, "id")), try row.decode(String.self, "body"), try row.decode(String?.self, "note")]
            let tags = try row.decode([String].self, "tags")
            if actual != Array(expected.prefix(3)) || tags != [expected[1]!, "x"] {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func copyInFailuresLeaveTheConnectionUsable() throws {
        let db = try TestDatabase.connect()
        try db.query("CREATE TABLE copy_fail (id int8 PRIMARY KEY, v text)")
        let width = try expectPostgresError { try db.copyIn(table: "copy_fail", columns: ["id", "v"], rows: [["1"]]) }
        #expect(width.code == .invalidArgument)
        let badValue = try expectPostgresError {
            try db.copyIn(table: "copy_fail", columns: ["id", "v"], rows: [["1", "a"], ["not a number", "b"]])
        }
        #expect(badValue.code == .serverError)
        #expect(badValue.sqlState == "22P02")
        let missingColumn = try expectPostgresError { try db.copyIn(table: "copy_fail", columns: ["nope"], rows: [["1"]]) }
        #expect(missingColumn.sqlState == "42703")
        #expect(try db.query("SELECT count(*) FROM copy_fail")[0].decode(Int.self, at: 0) == 0)
        #expect(try db.copyIn(table: "copy_fail", columns: ["id", "v"], rows: []) == 0)
    }

    @Test func killedBackendReportsClosedAndRecoversWithReset() throws {
        let db = try TestDatabase.connect()
        let pid = try db.query("SELECT pg_backend_pid()")[0].decode(Int64.self, at: 0)
        let killer = try TestDatabase.connect()
        #expect(try killer.query("SELECT pg_terminate_backend($1::int4)", [.int(pid)])[0].decode(Bool.self, at: 0))
        // The backend exits asynchronously; wait until it is gone.
        for _ in 0..<100 {
            let alive = try killer.query("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int4", [.int(pid)])[0].decode(Int.self, at: 0)
            if alive == 0 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let error = try expectPostgresError { try db.query("SELECT 1") }
        #expect(error.code == .connectionClosed)
        #expect(!db.isOpen)
        try db.reset()
        #expect(db.isOpen)
        #expect(try db.query("SELECT 41 + 1")[0].decode(Int.self, at: 0) == 42)
        #expect(try db.query("SELECT pg_backend_pid()")[0].decode(Int64.self, at: 0) != pid)
    }

    @Test func closedConnectionsSayClosed() throws {
        let db = try TestDatabase.connect()
        db.close()
        #expect(!db.isOpen)
        #expect(try expectPostgresError { try db.query("SELECT 1") }.code == .connectionClosed)
        #expect(try expectPostgresError { try db.reset() }.code == .connectionClosed)
        db.close()
    }

    @Test func connectSucceedsAgainstARunningServer() throws {
        let url = try #require(TestDatabase.current)
        let db = try PostgresConnection.connect(url: url, logger: TestDatabase.logger) { false }
        let name = try db.query("SELECT current_database()")[0].decode(String.self, at: 0)
        #expect(name.hasPrefix("feedloop_pgtest_"))
    }
}
