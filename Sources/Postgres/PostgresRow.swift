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
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws -> T {
        guard values.indices.contains(index) else {
            throw PostgresError(.decodingFailed, message: "no column at index \(index) (the row has \(values.count))")
        }
        let name = columns.indices.contains(index) ? columns[index] : "#\(index)"
        return try T.decode(postgresText: values[index], column: name)
    }

    /// Decodes the column named `column`; throws `.decodingFailed` if there is none.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(.decodingFailed, message: "no column \"\(column)\" in the result")
        }
        return try decode(type, at: index)
    }
}
