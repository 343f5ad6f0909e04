import Foundation
import Postgres
import Testing

/// Decoding text values and masking URLs, with no server involved.
@Suite struct PostgresDecodingTests {
    let row = PostgresRow(
        columns: ["name", "count", "score", "ok", "at", "tags", "ids", "missing", "secret"],
        values: ["Ada", "-12", "2.5", "t", "2026-11-23 08:15:00.25+00", #"{a,"b c"}"#, "{1,-2}", nil, "customer-secret-text"]
    )

    @Test func decodesEverySupportedType() throws {
        #expect(try row.decode(String.self, "name") == "Ada")
        #expect(try row.decode(Int.self, "count") == -12)
        #expect(try row.decode(Int64.self, "count") == -12)
        #expect(try row.decode(Int32.self, "count") == -12)
        #expect(try row.decode(Int16.self, "count") == -12)
        #expect(try row.decode(Double.self, "score") == 2.5)
        #expect(try row.decode(Bool.self, "ok") == true)
        #expect(try row.decode(Date.self, "at") == Date(timeIntervalSince1970: 1_795_421_700.25))
        #expect(try row.decode([String].self, "tags") == ["a", "b c"])
        #expect(try row.decode([Int64].self, "ids") == [1, -2])
        #expect(try row.decode(String?.self, "missing") == nil)
        #expect(try row.decode(Int?.self, "count") == -12)
        #expect(try row.decode(String.self, at: 0) == "Ada")
    }

    @Test func nullIntoNonOptionalNamesTheColumn() throws {
        let error = try expectPostgresError { _ = try row.decode(Int.self, "missing") }
        #expect(error.code == .decodingFailed)
        #expect(error.message.contains("\"missing\""))
        #expect(error.message.contains("Int"))
    }

    @Test func badTextNamesColumnAndTypeButNotTheValue() throws {
        let error = try expectPostgresError { _ = try row.decode(Int.self, "secret") }
        #expect(error.code == .decodingFailed)
        #expect(error.message.contains("\"secret\""))
        #expect(error.message.contains("Int"))
        #expect(!error.description.contains("customer-secret-text"))
        #expect(try expectPostgresError { _ = try row.decode(Bool.self, "name") }.code == .decodingFailed)
        #expect(try expectPostgresError { _ = try row.decode(Date.self, "name") }.code == .decodingFailed)
        #expect(try expectPostgresError { _ = try row.decode(Int16.self, at: 99) }.code == .decodingFailed)
        #expect(try expectPostgresError { _ = try row.decode(Int16.self, "nope") }.code == .decodingFailed)
        #expect(try expectPostgresError { _ = try row.decode(Int16.self, "secret") }.code == .decodingFailed)
    }

    @Test func arraysWithNullElementsNeedOptionalElements() throws {
        let row = PostgresRow(columns: ["a"], values: ["{x,NULL}"])
        #expect(try expectPostgresError { _ = try row.decode([String].self, "a") }.code == .decodingFailed)
        #expect(try row.decode([String?].self, "a") == ["x", nil])
    }

    @Test func doublesIncludeSpecialValues() throws {
        let row = PostgresRow(columns: ["a", "b", "c", "d"], values: ["NaN", "Infinity", "-Infinity", "1e-07"])
        #expect(try row.decode(Double.self, "a").isNaN)
        #expect(try row.decode(Double.self, "b") == .infinity)
        #expect(try row.decode(Double.self, "c") == -.infinity)
        #expect(try row.decode(Double.self, "d") == 1e-7)
    }

    // MARK: URL masking

    @Test(arguments: [
        ("postgres://app:s3cret@db:5432/feedloop", "postgres://app:***@db:5432/feedloop"),
        ("postgresql://app:p%40ss@db/feedloop?sslmode=disable", "postgresql://app:***@db/feedloop?sslmode=disable"),
        ("postgres://app@db/feedloop", "postgres://app@db/feedloop"),
        ("postgres://db/feedloop", "postgres://db/feedloop"),
        ("postgres://app@db/feedloop?password=s3cret&sslmode=require", "postgres://app@db/feedloop?password=***&sslmode=require"),
        ("host=db user=app password=s3cret dbname=feedloop", "host=db user=app password=*** dbname=feedloop"),
        ("host=db password = 's3 cret\\'x' dbname=feedloop", "host=db password = *** dbname=feedloop"),
        ("password=s3cret", "password=***"),
    ])
    func masksPasswords(_ url: String, _ masked: String) {
        #expect(PostgresConnection.maskedURL(url) == masked)
    }
}
