import FeedloopCore
import Foundation

/// The file formats `import` reads.
enum ImportFormat: String, CaseIterable, Sendable {
    case jsonl, csv

    /// The format a file name implies, if any.
    init?(fileName: String) {
        switch URL(fileURLWithPath: fileName).pathExtension.lowercased() {
        case "jsonl", "ndjson", "json": self = .jsonl
        case "csv": self = .csv
        default: return nil
        }
    }
}

/// One problem on one line of an import file.
struct ImportLineError {
    var line: Int
    var error: FieldError
}

/// One record of an import file: a valid submission or its problems.
enum ImportRecord {
    case valid(FeedbackSubmission)
    case invalid([ImportLineError])
}

/// Walks an import file's records, parsing and validating each with ``FeedbackSubmission``.
/// Blank lines are skipped; a CSV file's first record is its header.
struct ImportSource {
    let bytes: [UInt8]
    let format: ImportFormat

    /// Calls `body` with each record's line and either the submission or its problems.
    /// Returns problems that concern the whole file (a bad CSV header) without visiting records.
    func forEachRecord(_ body: (Int, ImportRecord) throws -> Void) rethrows -> [ImportLineError] {
        switch format {
        case .jsonl: try forEachJSONLine(body)
        case .csv: return try forEachCSVRecord(body)
        }
        return []
    }

    private func forEachJSONLine(_ body: (Int, ImportRecord) throws -> Void) rethrows {
        var line = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            line += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var slice = bytes[start..<end]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            start = end + 1
            if slice.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let parsed = Self.checked(line) { try FeedbackSubmission.parse(json: Array(slice)) }
            try body(line, parsed)
        }
    }

    private func forEachCSVRecord(_ body: (Int, ImportRecord) throws -> Void) rethrows -> [ImportLineError] {
        var reader = CSVRecordReader(bytes: bytes)
        guard let first = reader.next() else {
            return [ImportLineError(line: 1, error: FieldError(field: "header", reason: "is missing: the file is empty"))]
        }
        let header: [String]
        switch first {
        case .failure(let e):
            return [ImportLineError(line: e.line, error: FieldError(field: "header", reason: e.reason))]
        case .success(let record):
            let problems = FeedbackSubmission.validateCSVHeader(record.fields)
            guard problems.isEmpty else { return problems.map { ImportLineError(line: record.line, error: $0) } }
            header = record.fields
        }
        while let next = reader.next() {
            switch next {
            case .failure(let e):
                try body(e.line, .invalid([ImportLineError(line: e.line, error: FieldError(field: "row", reason: e.reason))]))
            case .success(let record):
                let parsed = Self.checked(record.line) {
                    try FeedbackSubmission.parse(csvHeader: header, row: record.fields, line: record.line)
                }
                try body(record.line, parsed)
            }
        }
        return []
    }

    /// Runs a parse and turns its validation error into line-numbered problems.
    private static func checked(_ line: Int, _ parse: () throws -> FeedbackSubmission) -> ImportRecord {
        do {
            return .valid(try parse())
        } catch let error as FeedbackValidationError {
            return .invalid(error.errors.map { ImportLineError(line: line, error: $0) })
        } catch {
            return .invalid([ImportLineError(line: line, error: FieldError(field: "row", reason: "could not be read: \(error)"))])
        }
    }
}
