/// Splits CSV text (RFC 4180: comma separated, double-quoted fields with `""` for a quote,
/// LF or CRLF line ends, newlines allowed inside quotes) into records, each with the file line
/// it starts on so that errors point at the right place.
struct CSVRecordReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// A record that could not be read; reading goes on with the next record.
    struct FormatError: Error {
        var line: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A byte-order mark is an encoding hint, not part of the first column's name.
        self.position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, a format error, or nil at the end of the text. Blank lines are skipped.
    mutating func next() -> Result<Record, FormatError>? {
        while position < bytes.count {
            let startLine = line
            var fields: [[UInt8]] = []
            var field: [UInt8] = []
            var inQuotes = false
            var fieldStarted = false
            var endedRecord = false
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                if inQuotes {
                    if b == UInt8(ascii: "\"") {
                        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                            field.append(b)
                            position += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if b == UInt8(ascii: "\n") { line += 1 }
                        field.append(b)
                    }
                    continue
                }
                switch b {
                case UInt8(ascii: ","):
                    fields.append(field)
                    field = []
                    fieldStarted = false
                case UInt8(ascii: "\n"):
                    line += 1
                    endedRecord = true
                case UInt8(ascii: "\r") where position < bytes.count && bytes[position] == UInt8(ascii: "\n"):
                    break  // the \n that follows ends the record
                case UInt8(ascii: "\"") where !fieldStarted && field.isEmpty:
                    inQuotes = true
                    fieldStarted = true
                default:
                    // A quote inside an unquoted field is kept as data, as spreadsheets export it.
                    field.append(b)
                    fieldStarted = true
                }
                if endedRecord { break }
            }
            if inQuotes {
                return .failure(FormatError(line: startLine, reason: "has a quoted field that is never closed"))
            }
            fields.append(field)
            if fields.count == 1 && fields[0].isEmpty { continue }
            var strings: [String] = []
            strings.reserveCapacity(fields.count)
            for f in fields {
                guard let s = String(validating: f, as: UTF8.self) else {
                    return .failure(FormatError(line: startLine, reason: "is not valid UTF-8"))
                }
                strings.append(s)
            }
            return .success(Record(line: startLine, fields: strings))
        }
        return nil
    }
}
