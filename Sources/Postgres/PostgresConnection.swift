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
    /// Seconds libpq waits for a server that does not answer, unless the URL says otherwise.
    static let defaultConnectTimeout = "5"

    /// Nil once closed.
    var handle: OpaquePointer?
    let logger: Logger
    /// For `description`s and logs; the password is already masked.
    let maskedURL: String

    /// Connects with a `postgres://user:pass@host:port/db?…` URL (or any libpq conninfo).
    public init(url: String, logger: Logger) throws {
        self.logger = logger
        self.maskedURL = Self.maskedURL(url)
        // With expand_dbname, later keywords override earlier ones: listing connect_timeout
        // before the URL makes it a default the URL can still override.
        let keywords = ["connect_timeout", "dbname"]
        let values = [Self.defaultConnectTimeout, url]
        let connection = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(.connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let error = PostgresError(.connectionFailed, message: Self.connectionFailureMessage(connection, url: url))
            PQfinish(connection)
            throw error
        }
        handle = connection
        do {
            try configureSession()
        } catch {
            PQfinish(connection)
            handle = nil
            throw error
        }
        logger.debug("connected to PostgreSQL", metadata: ["url": "\(maskedURL)"])
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Connects with exponential backoff (0.1 s doubling up to `maxDelay`), logging each failure,
    /// until it succeeds or `shouldStop()` returns true (then it throws the last error).
    public static func connect(url: String, logger: Logger, maxDelay: Duration = .seconds(5), shouldStop: () -> Bool) throws -> PostgresConnection {
        let maxSeconds = max(0.1, Double(maxDelay.components.seconds) + Double(maxDelay.components.attoseconds) / 1e18)
        var delay = 0.1
        var attempt = 1
        while true {
            do {
                return try PostgresConnection(url: url, logger: logger)
            } catch {
                logger.warning(
                    "PostgreSQL connection failed, retrying",
                    metadata: [
                        "error": "\(error)", "url": "\(maskedURL(url))", "attempt": "\(attempt)", "retryIn": "\(delay)s",
                    ])
                if shouldStop() { throw error }
                // Sleep in short slices so a shutdown does not wait out a long backoff.
                let deadline = Date().addingTimeInterval(delay)
                while Date() < deadline {
                    if shouldStop() { throw error }
                    Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
                }
                delay = min(delay * 2, maxSeconds)
                attempt += 1
            }
        }
    }

    /// False when the server connection is gone (`PQstatus` is not OK).
    ///
    /// libpq learns that the server went away only when it next talks to it, so this can stay
    /// true until a statement fails with `.connectionClosed`.
    public var isOpen: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Re-establishes a broken connection (`PQreset`).
    public func reset() throws {
        guard let handle else {
            throw PostgresError(.connectionClosed, message: "the connection was closed")
        }
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            // PQpass still knows the password the connection was made with, for scrubbing.
            throw PostgresError(.connectionFailed, message: Self.connectionFailureMessage(handle, url: ""))
        }
        try configureSession()
        logger.info("PostgreSQL connection re-established", metadata: ["url": "\(maskedURL)"])
    }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Runs one parameterized statement and returns its rows (empty for commands).
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresBind] = []) throws -> PostgresResult {
        try run(sql, parameters).result
    }

    /// Runs a script of several statements with no parameters (migrations); `PQexec`.
    public func execute(script sql: String) throws {
        let connection = try openHandle()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, query: sql)
    }

    /// BEGIN … COMMIT around `body`; ROLLBACK and rethrow if it throws. Not nestable.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try openHandle()
        guard PQtransactionStatus(connection) == PQTRANS_IDLE else {
            throw PostgresError(.invalidArgument, message: "transaction() cannot be nested or started inside an open transaction")
        }
        try run("BEGIN", [])
        do {
            let value = try body(self)
            // COMMIT of a transaction that already failed succeeds with the tag ROLLBACK:
            // report that, or a swallowed error inside `body` would lose writes silently.
            let commit = try run("COMMIT", [])
            if commit.commandTag == "ROLLBACK" {
                throw PostgresError(
                    .serverError, sqlState: "25P02", message: "the transaction was aborted by an earlier error and has been rolled back", query: "COMMIT")
            }
            return value
        } catch {
            if let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE {
                // The original error matters; a failed ROLLBACK means the connection is gone,
                // which the next statement reports anyway.
                _ = try? run("ROLLBACK", [])
            }
            throw error
        }
    }

    // MARK: Internals

    /// Runs a statement; also returns the command tag (`INSERT 0 3`, `ROLLBACK`, …).
    @discardableResult
    func run(_ sql: String, _ parameters: [PostgresBind]) throws -> (result: PostgresResult, commandTag: String) {
        let connection = try openHandle()
        var types: [Oid] = []
        types.reserveCapacity(parameters.count)
        var values: [UnsafePointer<CChar>?] = []
        values.reserveCapacity(parameters.count)
        defer { values.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        for (index, parameter) in parameters.enumerated() {
            types.append(parameter.typeOID)
            guard let text = parameter.textValue else {
                values.append(nil)
                continue
            }
            // A C string would end at the NUL and store a truncated value without complaint.
            guard !text.utf8.contains(0) else {
                throw PostgresError(.invalidArgument, message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold", query: sql)
            }
            values.append(UnsafePointer(strdup(text)))
        }
        // Text format in both directions: no lengths or formats needed.
        let result = PQexecParams(connection, sql, Int32(parameters.count), types, values, nil, nil, 0)
        defer { PQclear(result) }
        try check(result, query: sql)
        return (Self.makeResult(result!), PQcmdStatus(result).map { String(cString: $0) } ?? "")
    }

    /// Throws unless `result` is a success.
    func check(_ result: OpaquePointer?, query: String?) throws {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            throw PostgresError.fromResult(result, connection: handle, query: query)
        }
    }

    func openHandle() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(.connectionClosed, message: "the connection was closed")
        }
        return handle
    }

    /// Makes the text the decoders read independent of server and database settings.
    private func configureSession() throws {
        let connection = try openHandle()
        // libpq prints server notices ("relation … already exists, skipping") to stderr by
        // default; route them to the logger instead. The connection outlives its handle.
        PQsetNoticeProcessor(
            connection,
            { context, message in
                guard let context, let message else { return }
                let owner = Unmanaged<PostgresConnection>.fromOpaque(context).takeUnretainedValue()
                owner.logger.debug("PostgreSQL notice", metadata: ["notice": "\(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))"])
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
        guard PQsetClientEncoding(connection, "UTF8") == 0 else {
            throw PostgresError.fromResult(nil, connection: connection, query: nil)
        }
        try run("SET DateStyle TO ISO", [])
    }

    private static func makeResult(_ result: OpaquePointer) -> PostgresResult {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<fieldCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for field in 0..<Int32(fieldCount) {
                if PQgetisnull(result, row, field) != 0 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, field))
                    let bytes = UnsafeRawPointer(PQgetvalue(result, row, field)!).assumingMemoryBound(to: UInt8.self)
                    values.append(String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresResult(columns: columns, rows: rows, affectedRows: affected)
    }

    /// `PQerrorMessage` with any spelling of the password replaced by `***`.
    private static func connectionFailureMessage(_ connection: OpaquePointer, url: String) -> String {
        var secrets = passwords(in: url)
        if let pass = PQpass(connection) {
            let used = String(cString: pass)
            if !used.isEmpty { secrets.append(used) }
        }
        let message = PostgresError.connectionMessage(connection) ?? "connection failed"
        return scrub(message, secrets: secrets)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) }
        pointers.append(nil)
        defer { pointers.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
