import CPostgres
import Foundation
import Logging

/// A blocking PostgreSQL connection over libpq.
///
/// Not thread-safe: use it from one thread at a time (``PostgresConnectionPool`` in the runtime
/// hands connections out one caller at a time). Every statement is parameterized
/// (`$1`, `$2`, … with ``PostgresBind`` values sent separately from the SQL); values are never
/// interpolated into SQL text.
public final class PostgresConnection {
    /// Connects with a `postgres://user:pass@host:port/db?…` URL (or any libpq conninfo).
    public init(url: String, logger: Logger) throws { fatalError("unimplemented") }

    /// Connects with exponential backoff (0.1 s doubling up to `maxDelay`), logging each failure,
    /// until it succeeds or `shouldStop()` returns true (then it throws the last error).
    public static func connect(url: String, logger: Logger, maxDelay: Duration = .seconds(5), shouldStop: () -> Bool) throws -> PostgresConnection {
        fatalError("unimplemented")
    }

    /// False when the server connection is gone (`PQstatus` is not OK).
    public var isOpen: Bool { fatalError("unimplemented") }

    /// Re-establishes a broken connection (`PQreset`).
    public func reset() throws { fatalError("unimplemented") }

    public func close() { fatalError("unimplemented") }

    /// Runs one parameterized statement and returns its rows (empty for commands).
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresBind] = []) throws -> PostgresResult {
        fatalError("unimplemented")
    }

    /// Runs a script of several statements with no parameters (migrations); `PQexec`.
    public func execute(script sql: String) throws { fatalError("unimplemented") }

    /// BEGIN … COMMIT around `body`; ROLLBACK and rethrow if it throws. Not nestable.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T { fatalError("unimplemented") }
}

/// A parameter value, sent in text format with an explicit type.
public enum PostgresBind: Sendable, Hashable {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case timestamp(Date)
    /// jsonb, given as JSON text.
    case jsonb(String)
    case textArray([String])
    case intArray([Int64])
}

/// The rows of one statement.
public struct PostgresResult: Sendable, RandomAccessCollection {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// Rows changed by INSERT / UPDATE / DELETE (`PQcmdTuples`), 0 otherwise.
    public let affectedRows: Int

    public init(columns: [String], rows: [PostgresRow], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { rows.startIndex }
    public var endIndex: Int { rows.endIndex }
    public subscript(position: Int) -> PostgresRow { rows[position] }
}

/// One row: text-format values decoded on access.
public struct PostgresRow: Sendable {
    public let columns: [String]
    /// Raw text values as libpq returned them; nil is SQL NULL.
    public let values: [String?]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Decodes column `index`; throws `.decodingFailed` naming the column on NULL-into-non-optional or bad text.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws -> T { fatalError("unimplemented") }

    /// Decodes the column named `column`; throws `.decodingFailed` if there is none.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T { fatalError("unimplemented") }
}

/// A Swift type that can be read from a text-format column value. Optionals decode NULL as nil.
public protocol PostgresDecodable {
    /// `text` is nil for SQL NULL.
    static func decode(postgresText text: String?, column: String) throws -> Self
}

/// A PostgreSQL failure, compared by ``code``; carries SQLSTATE for server errors.
/// The description never contains the connection password.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public static let connectionFailed = Code(raw: "connectionFailed")
        public static let connectionClosed = Code(raw: "connectionClosed")
        public static let serverError = Code(raw: "serverError")
        public static let decodingFailed = Code(raw: "decodingFailed")
        public var description: String { raw }
    }

    public var code: Code
    /// Five-character SQLSTATE for `.serverError` (e.g. `23505` unique violation).
    public var sqlState: String?
    public var message: String
    /// The statement (never its parameter values).
    public var query: String?

    public init(_ code: Code, sqlState: String? = nil, message: String, query: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.query = query
    }

    public var description: String {
        var s = "PostgresError.\(code)"
        if let sqlState { s += " [\(sqlState)]" }
        s += ": \(message)"
        if let query { s += " (query: \(query.prefix(200)))" }
        return s
    }

    /// 23505
    public var isUniqueViolation: Bool { sqlState == "23505" }
}
