import CPostgres

extension PostgresConnection {
    /// Inserts `rows` with `COPY table (columns) FROM STDIN` in text format: the fast path for
    /// bulk loads. Each row holds one value per column, nil for NULL. `table` may be
    /// schema-qualified (`public.tickets`); names are quoted, so they are taken literally.
    /// Returns the number of rows copied. On failure nothing is inserted.
    @discardableResult
    public func copyIn(table: String, columns: [String], rows: [[String?]]) throws -> Int {
        let columnList = columns.map(PostgresTextFormat.quoteIdentifier).joined(separator: ", ")
        let sql = "COPY \(PostgresTextFormat.quoteQualifiedName(table)) (\(columnList)) FROM STDIN"
        guard !columns.isEmpty else {
            throw PostgresError(.invalidArgument, message: "copyIn needs at least one column", query: sql)
        }
        for (index, row) in rows.enumerated() where row.count != columns.count {
            throw PostgresError(.invalidArgument, message: "row \(index) has \(row.count) values for \(columns.count) columns", query: sql)
        }
        let connection = try openHandle()
        let start = PQexec(connection, sql)
        let startStatus = start.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        if startStatus != PGRES_COPY_IN {
            defer { PQclear(start) }
            try check(start, query: sql)
            // A success that is not COPY_IN cannot happen for COPY FROM STDIN; be explicit anyway.
            throw PostgresError(.serverError, message: "the server did not enter COPY mode", query: sql)
        }
        PQclear(start)

        var buffer: [UInt8] = []
        let flushThreshold = 256 * 1024
        buffer.reserveCapacity(flushThreshold + 4096)
        var sendFailed = false
        func flush() {
            guard !buffer.isEmpty, !sendFailed else { return }
            let sent = buffer.withUnsafeBufferPointer { bytes in
                bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    PQputCopyData(connection, $0, Int32(bytes.count))
                }
            }
            if sent != 1 { sendFailed = true }
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: "\t")) }
                PostgresTextFormat.appendCopyField(value, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= flushThreshold {
                flush()
                if sendFailed { break }
            }
        }
        flush()
        // Even after a failed send, end COPY and drain the results so the connection is left
        // ready (or reported closed) rather than stuck in COPY mode.
        _ = PQputCopyEnd(connection, nil)

        var firstError: PostgresError?
        var copied = 0
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? rows.count
            } else if firstError == nil {
                firstError = PostgresError.fromResult(result, connection: connection, query: sql)
            }
        }
        if let firstError { throw firstError }
        if sendFailed {
            throw PostgresError.fromResult(nil, connection: connection, query: sql)
        }
        return copied
    }
}
