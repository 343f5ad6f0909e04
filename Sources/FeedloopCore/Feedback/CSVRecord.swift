/// One CSV record and the physical line it starts on (1-based), for line-numbered reports.
public struct CSVRecord: Hashable, Sendable {
    /// The unquoted field values.
    public var fields: [String]
    /// The line the record starts on; a record with quoted line breaks spans several.
    public var line: Int

    /// Creates a record.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}
