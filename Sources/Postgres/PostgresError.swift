import CPostgres
import Foundation

/// A PostgreSQL failure, compared by ``code``; carries SQLSTATE for server errors.
/// The description never contains the connection password.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public static let connectionFailed = Code(raw: "connectionFailed")
        public static let connectionClosed = Code(raw: "connectionClosed")
        public static let serverError = Code(raw: "serverError")
        public static let decodingFailed = Code(raw: "decodingFailed")
        /// The caller passed something that cannot be sent (a NUL byte in text, a COPY row of the
        /// wrong width, a nested ``PostgresConnection/transaction(_:)``); nothing was sent.
        public static let invalidArgument = Code(raw: "invalidArgument")
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

    /// A row names another that does not exist (SQLSTATE 23503): trying again cannot help.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }

    /// 40001 or 40P01: the transaction lost a race and may simply be retried.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
}

extension PostgresError {
    /// Builds the error for a failed result. `.connectionClosed` when the connection died with
    /// it, so callers know a `reset()` is needed rather than a fix to the statement.
    static func fromResult(_ result: OpaquePointer?, connection: OpaquePointer?, query: String?) -> PostgresError {
        let closed = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
        let state = result.flatMap { field($0, PG_DIAG_SQLSTATE) }
        var message: String
        if let result, let primary = field(result, PG_DIAG_MESSAGE_PRIMARY) {
            message = primary
            if let detail = field(result, PG_DIAG_MESSAGE_DETAIL) {
                message += " (\(detail))"
            }
        } else {
            message = connectionMessage(connection) ?? "unknown error"
        }
        return PostgresError(closed ? .connectionClosed : .serverError, sqlState: state, message: message, query: query)
    }

    /// `PQerrorMessage` without its trailing newline; nil when empty.
    static func connectionMessage(_ connection: OpaquePointer?) -> String? {
        guard let connection, let raw = PQerrorMessage(connection) else { return nil }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let raw = PQresultErrorField(result, code) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }
}

// The diagnostic codes are char macros, which Swift does not import.
private let PG_DIAG_SQLSTATE = Int32(UInt8(ascii: "C"))
private let PG_DIAG_MESSAGE_PRIMARY = Int32(UInt8(ascii: "M"))
private let PG_DIAG_MESSAGE_DETAIL = Int32(UInt8(ascii: "D"))
