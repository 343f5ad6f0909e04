/// One record of an import file as read, before its values are checked.
public struct ImportRawRecord: Sendable {
    /// What the record holds.
    public enum Content: Sendable {
        /// A CSV record's unquoted fields.
        case csv([String])
        /// A JSON-lines record's bytes.
        case json([UInt8])
        /// A record that cannot be read at all (bad quoting, bad UTF-8, too long).
        case malformed(FieldError)
    }

    /// The physical line the record starts on (1-based).
    public var line: Int
    /// The last physical line the record occupies; a quoted CSV field can span several.
    public var endLine: Int
    /// The file offset just after the record's last line break: where a resumed import starts.
    public var endOffset: Int64
    public var content: Content
    /// The record's original text (lines joined with `\n`), for the rejects file.
    public var raw: String
}
