/// Splits an import file into records as its bytes arrive in chunks of any size, so that a
/// file of any length is read in constant memory (one record at a time) with exact line
/// numbers and the byte offset after every record, which is what makes an import resumable.
///
/// Lines end at LF (a CR before it is dropped). JSON lines: each non-blank line is a record.
/// CSV: lines go through ``CSVParser``, so a quoted field may span lines; the record carries
/// the line it starts on. Lines without a quote take a byte-level fast path with the same result.
/// A UTF-8 byte-order mark at offset 0 is skipped.
public struct ImportRecordReader {
    /// A CSV record longer than this is reported as malformed and reading starts afresh on the
    /// next line: almost always a quote that is never closed, which would otherwise swallow
    /// the rest of the file.
    public static let maxCSVRecordBytes = 1 << 20

    public let format: ImportFormat
    /// Bytes of the file consumed so far, including the line in ``pending``'s start.
    public private(set) var offset: Int64
    /// Physical lines completed so far.
    public private(set) var line: Int

    private var pending: [UInt8] = []
    private var parser = CSVParser()
    /// Lines before the current parser's first line: its line numbers are relative.
    private var parserBase = 0
    private var recordLines: [String] = []
    private var recordBytes = 0
    private var recordBadUTF8 = false

    /// A reader that starts at `offset`, after `line` lines, both as an earlier run recorded them.
    public init(format: ImportFormat, offset: Int64 = 0, line: Int = 0) {
        self.format = format
        self.offset = offset
        self.line = line
    }

    /// Splits `chunk`, the next bytes of the file, calling `body` with every complete record.
    public mutating func feed(_ chunk: [UInt8], _ body: (ImportRawRecord) throws -> Void) rethrows {
        var start = 0
        let count = chunk.count
        while start < count {
            let newline = chunk.withUnsafeBufferPointer { buffer in buffer[start...].firstIndex(of: 10) }
            guard let newline else {
                pending.append(contentsOf: chunk[start..<count])
                return
            }
            if pending.isEmpty {
                try handleLine(chunk[start..<newline], length: newline - start + 1, body)
            } else {
                pending.append(contentsOf: chunk[start..<newline])
                let whole = pending
                pending.removeAll(keepingCapacity: true)
                try handleLine(whole[...], length: whole.count + 1, body)
            }
            start = newline + 1
        }
    }

    /// Ends the input: the last line may lack a line break, and a CSV record may be left open.
    public mutating func finish(_ body: (ImportRawRecord) throws -> Void) rethrows {
        if !pending.isEmpty {
            let whole = pending
            pending.removeAll()
            try handleLine(whole[...], length: whole.count, body)
        }
        if format == .csv, !recordLines.isEmpty {
            try emitMalformed(line: recordStart, reason: "has a quoted field that is never closed", body)
        }
    }

    private mutating func handleLine(_ bytes: ArraySlice<UInt8>, length: Int, _ body: (ImportRawRecord) throws -> Void) rethrows {
        var content = bytes
        if offset == 0, content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        if content.last == 13 { content = content.dropLast() }
        line += 1
        offset += Int64(length)
        switch format {
        case .jsonl:
            guard content.contains(where: { $0 != 32 && $0 != 9 }) else { return }
            if String(validating: content, as: UTF8.self) == nil {
                let raw = String(decoding: content, as: UTF8.self)
                let error = FieldError(field: "row", reason: "is not valid UTF-8")
                try body(ImportRawRecord(line: line, endLine: line, endOffset: offset, content: .malformed(error), raw: raw))
            } else {
                let raw = String(decoding: content, as: UTF8.self)
                try body(ImportRawRecord(line: line, endLine: line, endOffset: offset, content: .json(Array(content)), raw: raw))
            }
        case .csv:
            try handleCSVLine(content, body)
        }
    }

    private mutating func handleCSVLine(_ content: ArraySlice<UInt8>, _ body: (ImportRawRecord) throws -> Void) rethrows {
        if recordLines.isEmpty {
            if content.isEmpty { return }
            // Fast path: a whole record on one line without quotes splits on commas as bytes.
            if !content.contains(34), let text = String(validating: content, as: UTF8.self) {
                let fields = content.split(separator: 44, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                try body(ImportRawRecord(line: line, endLine: line, endOffset: offset, content: .csv(fields), raw: text))
                return
            }
            // A fresh parser per record: its line numbers count from the record's first line.
            parser = CSVParser()
            parserBase = line - 1
        }
        let text: String
        if let valid = String(validating: content, as: UTF8.self) {
            text = valid
        } else {
            text = String(decoding: content, as: UTF8.self)
            recordBadUTF8 = true
        }
        recordLines.append(text)
        recordBytes += content.count + 1
        let record: CSVRecord?
        do {
            record = try parser.feed(line: text)
        } catch {
            try emitMalformed(line: recordStart, reason: "has text after a closing quote; double a quote inside a quoted field", body)
            return
        }
        if let record {
            let raw = recordLines.joined(separator: "\n")
            let start = parserBase + record.line
            if recordBadUTF8 {
                try emitMalformed(line: start, reason: "is not valid UTF-8", body)
            } else {
                resetRecord()
                try body(ImportRawRecord(line: start, endLine: line, endOffset: offset, content: .csv(record.fields), raw: raw))
            }
        } else if recordBytes > Self.maxCSVRecordBytes {
            try emitMalformed(line: recordStart, reason: "is longer than \(Self.maxCSVRecordBytes) bytes; a quoted field is probably never closed", body)
        }
    }

    /// The first line of the CSV record being read.
    private var recordStart: Int { line - recordLines.count + 1 }

    private mutating func emitMalformed(line start: Int, reason: String, _ body: (ImportRawRecord) throws -> Void) rethrows {
        let raw = recordLines.joined(separator: "\n")
        resetRecord()
        let error = FieldError(field: "row", reason: reason)
        try body(ImportRawRecord(line: start, endLine: line, endOffset: offset, content: .malformed(error), raw: raw))
    }

    private mutating func resetRecord() {
        recordLines.removeAll(keepingCapacity: true)
        recordBytes = 0
        recordBadUTF8 = false
    }
}
