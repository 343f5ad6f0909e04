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
    func forEachRecord(_ body: (Int, ImportRecord) throws -> Void) throws -> [ImportLineError] {
        switch format {
        case .jsonl: try forEachJSONLine(body)
        case .csv: return try forEachCSVRecord(body)
        }
        return []
    }

    private func forEachJSONLine(_ body: (Int, ImportRecord) throws -> Void) throws {
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

    private func forEachCSVRecord(_ body: (Int, ImportRecord) throws -> Void) throws -> [ImportLineError] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Self.invalidUTF8Lines(bytes).map {
                ImportLineError(line: $0, error: FieldError(field: "row", reason: "is not valid UTF-8"))
            }
        }
        var parser = CSVParser()
        var header: [String]?
        // The header is the first record; its problems concern the whole file.
        func handle(_ record: CSVRecord) throws -> [ImportLineError] {
            guard let header else {
                let problems = FeedbackSubmission.validateCSVHeader(record.fields)
                if problems.isEmpty { header = record.fields }
                return problems.map { ImportLineError(line: record.line, error: $0) }
            }
            let parsed = Self.checked(record.line) {
                try FeedbackSubmission.parse(csvHeader: header, row: record.fields, line: record.line)
            }
            try body(record.line, parsed)
            return []
        }
        for line in CSVParser.lines(of: text) {
            let record: CSVRecord?
            do {
                record = try parser.feed(line: line)
            } catch let error as CSVError {
                try body(error.line, .invalid([ImportLineError(line: error.line, error: FieldError(field: "row", reason: Self.reason(error)))]))
                continue
            } catch {
                continue  // feed throws only CSVError
            }
            if let record {
                let problems = try handle(record)
                if !problems.isEmpty { return problems }
            }
        }
        do {
            if let record = try parser.finish() {
                let problems = try handle(record)
                if !problems.isEmpty { return problems }
            }
        } catch let error as CSVError {
            try body(error.line, .invalid([ImportLineError(line: error.line, error: FieldError(field: "row", reason: Self.reason(error)))]))
        } catch {}
        if header == nil {
            return [ImportLineError(line: 1, error: FieldError(field: "header", reason: "is missing: the file has no records"))]
        }
        return []
    }

    /// The error without its own "line N:" prefix, which the report already carries.
    private static func reason(_ error: CSVError) -> String {
        switch error.code {
        case .unterminatedQuote: return "has a quoted field that is never closed"
        default: return "has text after a closing quote; double a quote inside a quoted field"
        }
    }

    /// Line numbers (1-based, LF-separated) that are not valid UTF-8.
    private static func invalidUTF8Lines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        for (i, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            lines.append(i + 1)
        }
        return lines
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
