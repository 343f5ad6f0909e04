/// An RFC 4180 CSV reader that takes one physical line at a time, so an importer can stream
/// a file of any size and report line numbers.
///
/// Quoted fields may contain separators, doubled quotes and line breaks; CRLF, LF and CR all
/// end a line, and a line break inside a quoted field is kept as `\n`. A quote inside an
/// unquoted field is kept literally (`5" screen`), as spreadsheets export it. Blank lines
/// between records are skipped, and a UTF-8 byte-order mark on the first line is dropped.
public struct CSVParser: Sendable {
    /// The field separator, `,` unless the file says otherwise.
    public let separator: Unicode.Scalar
    /// Lines fed so far.
    public private(set) var lineNumber = 0

    private var fields: [String] = []
    private var field = String.UnicodeScalarView()
    private var inQuotes = false
    private var afterClosingQuote = false
    private var fieldStarted = false
    private var recordStartLine = 0

    /// Creates a parser.
    public init(separator: Unicode.Scalar = ",") {
        self.separator = separator
    }

    /// Parses a whole text into records.
    public static func parse(_ text: String, separator: Unicode.Scalar = ",") throws -> [CSVRecord] {
        var parser = CSVParser(separator: separator)
        var records: [CSVRecord] = []
        for line in Self.lines(of: text) {
            if let record = try parser.feed(line: line) {
                records.append(record)
            }
        }
        if let record = try parser.finish() {
            records.append(record)
        }
        return records
    }

    /// Splits text on CRLF, LF or CR; a final line break does not add an empty line.
    public static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let s = scalars[i]
            if s == "\n" || s == "\r" {
                lines.append(Substring(scalars[start..<i]))
                var next = scalars.index(after: i)
                if s == "\r", next < scalars.endIndex, scalars[next] == "\n" {
                    next = scalars.index(after: next)
                }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex {
            lines.append(Substring(scalars[start..<scalars.endIndex]))
        }
        return lines
    }

    /// Feeds one physical line without its terminator (a trailing CR is ignored); returns the
    /// record it completes, or nil when the line is blank or a quoted field continues.
    ///
    /// After an error the parser starts afresh on the next line, so an import can report
    /// the bad record and go on.
    public mutating func feed(line: some StringProtocol) throws -> CSVRecord? {
        self.lineNumber += 1
        var scalars = Substring(line).unicodeScalars[...]
        if scalars.last == "\r" { scalars.removeLast() }
        if self.lineNumber == 1, scalars.first == "\u{FEFF}" { scalars.removeFirst() }

        if self.inQuotes {
            self.field.append("\n")
        } else {
            if scalars.isEmpty { return nil }
            self.recordStartLine = self.lineNumber
        }

        for s in scalars {
            if self.inQuotes {
                if s == "\"" {
                    self.inQuotes = false
                    self.afterClosingQuote = true
                } else {
                    self.field.append(s)
                }
            } else if self.afterClosingQuote {
                if s == "\"" {
                    // A doubled quote inside a quoted field.
                    self.field.append(s)
                    self.inQuotes = true
                    self.afterClosingQuote = false
                } else if s == self.separator {
                    self.endField()
                } else {
                    let line = self.lineNumber
                    self.reset()
                    throw CSVError(code: .textAfterClosingQuote, line: line)
                }
            } else if s == self.separator {
                self.endField()
            } else if s == "\"" && !self.fieldStarted {
                self.inQuotes = true
                self.fieldStarted = true
            } else {
                self.field.append(s)
                self.fieldStarted = true
            }
        }
        if self.inQuotes {
            return nil
        }
        self.endField()
        let record = CSVRecord(fields: self.fields, line: self.recordStartLine)
        self.reset()
        return record
    }

    /// Ends the input; throws if a quoted field was left open.
    public mutating func finish() throws -> CSVRecord? {
        if self.inQuotes {
            let line = self.recordStartLine
            self.reset()
            throw CSVError(code: .unterminatedQuote, line: line)
        }
        return nil
    }

    private mutating func endField() {
        self.fields.append(String(self.field))
        self.field = String.UnicodeScalarView()
        self.afterClosingQuote = false
        self.fieldStarted = false
    }

    private mutating func reset() {
        self.fields = []
        self.field = String.UnicodeScalarView()
        self.inQuotes = false
        self.afterClosingQuote = false
        self.fieldStarted = false
    }
}
