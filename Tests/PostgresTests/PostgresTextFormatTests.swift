import Foundation
import Postgres
import Testing

/// The text encodings, with no server involved.
@Suite struct PostgresTextFormatTests {
    // MARK: Array literals

    @Test func textArrayLiteralQuotesEveryElement() {
        #expect(PostgresTextFormat.arrayLiteral([String]()) == "{}")
        #expect(PostgresTextFormat.arrayLiteral(["a", "b c", ""]) == #"{"a","b c",""}"#)
        // NULL quoted is the string NULL, not SQL NULL.
        #expect(PostgresTextFormat.arrayLiteral(["NULL"]) == #"{"NULL"}"#)
        #expect(PostgresTextFormat.arrayLiteral([#"say "hi""#, #"back\slash"#]) == #"{"say \"hi\"","back\\slash"}"#)
        #expect(PostgresTextFormat.arrayLiteral(["{,}", "中文"]) == #"{"{,}","中文"}"#)
    }

    @Test func intArrayLiteral() {
        #expect(PostgresTextFormat.arrayLiteral([Int64]()) == "{}")
        #expect(PostgresTextFormat.arrayLiteral([1, -2, .max, .min]) == "{1,-2,9223372036854775807,-9223372036854775808}")
    }

    @Test func parsesArrayLiteralsAsPostgresPrintsThem() {
        #expect(PostgresTextFormat.parseArrayLiteral("{}") == [])
        #expect(PostgresTextFormat.parseArrayLiteral(#"{a,"b c",NULL,"NULL","",null}"#) == ["a", "b c", nil, "NULL", "", nil])
        #expect(PostgresTextFormat.parseArrayLiteral(#"{"say \"hi\"","back\\slash"}"#) == [#"say "hi""#, #"back\slash"#])
        #expect(PostgresTextFormat.parseArrayLiteral(#"{ a , b\ ,c\,d }"#) == ["a", "b ", "c,d"])
        #expect(PostgresTextFormat.parseArrayLiteral("{1,-2,3}") == ["1", "-2", "3"])
        #expect(PostgresTextFormat.parseArrayLiteral("[0:1]={x,y}") == ["x", "y"])
        #expect(PostgresTextFormat.parseArrayLiteral("{中文,\"日本\"}") == ["中文", "日本"])
    }

    @Test(arguments: ["", "{", "{a", "{a,}", "{\"a}", "{{1,2},{3,4}}", "{a}x", "a", "{,}", "{\"a\"b}"])
    func rejectsMalformedArrayLiterals(_ text: String) {
        #expect(PostgresTextFormat.parseArrayLiteral(text) == nil)
    }

    @Test func arrayLiteralRoundTrips() {
        let tricky = ["", " ", "NULL", "null", "\"", "\\", "\\\"", "a,b", "{}", "}", "tab\there", "line\nbreak", "中文 €", "'); DROP TABLE x; --"]
        #expect(PostgresTextFormat.parseArrayLiteral(PostgresTextFormat.arrayLiteral(tricky)) == tricky)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab\\\" ,{}'NUL\n中")
        for _ in 0..<200 {
            let elements = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            }
            #expect(PostgresTextFormat.parseArrayLiteral(PostgresTextFormat.arrayLiteral(elements)) == elements)
        }
    }

    // MARK: Timestamps

    @Test func formatsTimestampsInUTCWithMicroseconds() {
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 1_795_421_700.123456)) == "2026-11-23 08:15:00.123456+00")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59.500000+00")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000000+00")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 1_795_421_700.9999996)) == "2026-11-23 08:15:01.000000+00")
    }

    @Test func parsesTimestampOutput() throws {
        let base = 1_795_421_700.0
        let cases: [(String, Double)] = [
            ("2026-11-23 08:15:00+00", base),
            ("2026-11-23 08:15:00.123456+00", base + 0.123456),
            ("2026-11-23 08:15:00.5+00", base + 0.5),
            ("2026-11-23 13:45:00+05:30", base),
            ("2026-11-23 00:15:00-08", base),
            ("2026-11-23 08:15:00Z", base),
            ("2026-11-23T08:15:00.000001+00:00", base + 0.000001),
            ("2026-11-23 08:15:00", base),
            ("2026-11-23", base - 8 * 3600 - 15 * 60),
        ]
        for (text, seconds) in cases {
            let date = try #require(PostgresTextFormat.parseTimestamp(text), "\(text)")
            #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-7, "\(text)")
        }
        #expect(PostgresTextFormat.parseTimestamp("infinity") == .distantFuture)
        #expect(PostgresTextFormat.parseTimestamp("-infinity") == .distantPast)
    }

    @Test(arguments: [
        "", "2026-13-01", "2026-02-30", "2026-11-23 08:15", "2026-11-23 08:15:00+", "2026-11-23 08:15:00.+00", "yesterday", "2026-11-23 08:15:00+00 junk",
    ])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(PostgresTextFormat.parseTimestamp(text) == nil)
    }

    @Test func timestampsRoundTripExactly() throws {
        let dates = [
            Date(timeIntervalSince1970: 1_795_421_700.123456),
            Date(timeIntervalSince1970: -1_234_567.654321),
            Date(timeIntervalSince1970: 4_102_444_799.999999),
            Date(timeIntervalSince1970: -62_135_596_800),  // 0001-01-01
            Date(timeIntervalSince1970: -62_135_596_801),  // 1 BC
        ]
        for date in dates {
            let text = PostgresTextFormat.timestamp(date)
            #expect(try #require(PostgresTextFormat.parseTimestamp(text)) == date, "\(text)")
        }
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: -62_135_596_801)) == "0001-12-31 23:59:59.000000+00 BC")
    }

    // MARK: COPY and identifiers

    @Test func copyFieldsEscapeDelimiters() {
        #expect(PostgresTextFormat.copyField(nil) == #"\N"#)
        #expect(PostgresTextFormat.copyField(#"\N"#) == #"\\N"#)
        #expect(PostgresTextFormat.copyField("a\tb\nc\rd\\e") == #"a\tb\nc\rd\\e"#)
        #expect(PostgresTextFormat.copyField("中文 'quoted' \"x\"") == "中文 'quoted' \"x\"")
    }

    @Test func quotesIdentifiers() {
        #expect(PostgresTextFormat.quoteIdentifier("tickets") == #""tickets""#)
        #expect(PostgresTextFormat.quoteIdentifier(#"we"ird"#) == #""we""ird""#)
        #expect(PostgresTextFormat.quoteQualifiedName("public.tickets") == #""public"."tickets""#)
    }

    // MARK: Binds

    @Test func bindsCarryTypeOIDsAndText() {
        let date = Date(timeIntervalSince1970: 1_795_421_700.123456)
        let cases: [(PostgresBind, UInt32, String?)] = [
            (.null, 0, nil),
            (.text("x"), 25, "x"),
            (.int(-42), 20, "-42"),
            (.double(1.5), 701, "1.5"),
            (.double(.infinity), 701, "Infinity"),
            (.double(.nan), 701, "NaN"),
            (.bool(true), 16, "t"),
            (.bool(false), 16, "f"),
            (.timestamp(date), 1184, "2026-11-23 08:15:00.123456+00"),
            (.jsonb(#"{"a":1}"#), 3802, #"{"a":1}"#),
            (.textArray(["a"]), 1009, #"{"a"}"#),
            (.intArray([1, 2]), 1016, "{1,2}"),
        ]
        for (bind, oid, text) in cases {
            #expect(bind.typeOID == oid, "\(bind)")
            #expect(bind.textValue == text, "\(bind)")
        }
    }
}
