import Foundation

/// Reads labeled rows from CSV (with a header) or JSON lines.
///
/// Columns / keys: `text` (required), `category` or `categories` (a JSON array, or in CSV a list
/// separated by `|`), `sentiment` (`negative`/`neutral`/`positive`; empty or null means
/// unlabeled), optional `lang` (`zh`/`en`) and `id`. Labels must be Feedloop's categories and
/// sentiments, so that what the model predicts can be routed. A missing text, an unknown label
/// or a malformed line is an error: all bad rows are reported with their line, and nothing is
/// returned unless every row is good. A row with no label at all is kept (it is simply not
/// used), since sentiment-only sets mark mixed rows with a null sentiment.
public enum TrainingDataReader {
    /// The two file formats.
    public enum Format: String, Sendable {
        case csv, jsonl

        /// `.csv` files are CSV; `.jsonl`/`.json`/`.ndjson` are JSON lines; otherwise a first
        /// non-blank character `{` means JSON lines.
        public static func detect(fileName: String, text: String) -> Format {
            let lower = fileName.lowercased()
            if lower.hasSuffix(".csv") { return .csv }
            if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") { return .jsonl }
            return text.first(where: { !$0.isWhitespace }) == "{" ? .jsonl : .csv
        }
    }

    /// Parses `text`; `progress` is called every 10,000 lines with the lines read so far.
    public static func read(_ text: String, format: Format, progress: ((Int) -> Void)? = nil) throws -> [LabeledExample] {
        switch format {
        case .jsonl: return try self.readJSONLines(text, progress: progress)
        case .csv: return try self.readCSV(text, progress: progress)
        }
    }

    /// The raw fields of one row before validation.
    private struct RawRow {
        var id: String?
        var text: String?
        var categories: [String]
        var sentiment: String?
        var lang: String?
    }

    private static func readJSONLines(_ text: String, progress: ((Int) -> Void)?) throws -> [LabeledExample] {
        var examples: [LabeledExample] = []
        var problems: [TrainingDataError.Problem] = []
        var lineNumber = 0
        for line in CSVParser.lines(of: text) {
            lineNumber += 1
            if lineNumber % 10_000 == 0 { progress?(lineNumber) }
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                problems.append(.init(line: lineNumber, field: nil, reason: "not a JSON object"))
                continue
            }
            var raw = RawRow(categories: [])
            var fieldProblem: TrainingDataError.Problem?
            func string(_ key: String) -> String? {
                switch object[key] {
                case nil, is NSNull: return nil
                case let s as String: return s
                default:
                    fieldProblem = fieldProblem ?? .init(line: lineNumber, field: key, reason: "must be a string")
                    return nil
                }
            }
            raw.id = string("id")
            raw.text = string("text")
            raw.sentiment = string("sentiment")
            raw.lang = string("lang")
            if let single = string("category") { raw.categories = [single] }
            switch object["categories"] {
            case nil, is NSNull: break
            case let list as [Any]:
                guard let strings = list as? [String] else {
                    fieldProblem = fieldProblem ?? .init(line: lineNumber, field: "categories", reason: "must be an array of strings")
                    break
                }
                raw.categories += strings
            default:
                fieldProblem = fieldProblem ?? .init(line: lineNumber, field: "categories", reason: "must be an array of strings")
            }
            if let fieldProblem {
                problems.append(fieldProblem)
                continue
            }
            switch self.validate(raw, line: lineNumber) {
            case .success(let example): examples.append(example)
            case .failure(let problem): problems.append(problem)
            }
        }
        if !problems.isEmpty { throw TrainingDataError(problems: problems) }
        return examples
    }

    private static func readCSV(_ text: String, progress: ((Int) -> Void)?) throws -> [LabeledExample] {
        var parser = CSVParser()
        var header: [String: Int]?
        var examples: [LabeledExample] = []
        var problems: [TrainingDataError.Problem] = []
        var lineCount = 0
        func handle(_ record: CSVRecord) {
            guard let columns = header else {
                let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                header = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                return
            }
            if record.fields.allSatisfy({ $0.isEmpty }) { return }
            func field(_ name: String) -> String? {
                guard let i = columns[name], i < record.fields.count else { return nil }
                let value = record.fields[i].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            var raw = RawRow(id: field("id"), text: field("text"), categories: [], sentiment: field("sentiment"), lang: field("lang"))
            if let single = field("category") { raw.categories = [single] }
            if let list = field("categories") {
                raw.categories += list.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            switch self.validate(raw, line: record.line) {
            case .success(let example): examples.append(example)
            case .failure(let problem): problems.append(problem)
            }
        }
        for line in CSVParser.lines(of: text) {
            lineCount += 1
            if lineCount % 10_000 == 0 { progress?(lineCount) }
            do {
                if let record = try parser.feed(line: line) { handle(record) }
            } catch let error as CSVError {
                // The parser starts afresh on the next line, so every bad record is reported.
                problems.append(.init(line: error.line, field: nil, reason: "\(error.code)"))
            }
        }
        do {
            if let record = try parser.finish() { handle(record) }
        } catch let error as CSVError {
            problems.append(.init(line: error.line, field: nil, reason: "\(error.code)"))
        }
        guard let columns = header else {
            throw TrainingDataError(problems: [.init(line: 1, field: nil, reason: "empty file: a header row with a text column is required")])
        }
        if columns["text"] == nil {
            throw TrainingDataError(problems: [.init(line: 1, field: "text", reason: "the header has no text column")])
        }
        if !problems.isEmpty { throw TrainingDataError(problems: problems.sorted { $0.line < $1.line }) }
        return examples
    }

    private static func validate(_ raw: RawRow, line: Int) -> Result<LabeledExample, TrainingDataError.Problem> {
        guard let text = raw.text, !text.allSatisfy(\.isWhitespace) else {
            return .failure(.init(line: line, field: "text", reason: "missing or empty"))
        }
        var categories: [Category] = []
        for name in raw.categories {
            guard let category = Category(rawValue: name.lowercased()) else {
                let known = Category.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(.init(line: line, field: "category", reason: "unknown category \"\(name)\" (expected one of \(known))"))
            }
            if !categories.contains(category) { categories.append(category) }
        }
        var sentiment: Sentiment?
        if let name = raw.sentiment {
            guard let s = Sentiment(rawValue: name.lowercased()) else {
                return .failure(.init(line: line, field: "sentiment", reason: "unknown sentiment \"\(name)\" (expected negative, neutral or positive)"))
            }
            sentiment = s
        }
        var language: String?
        if let lang = raw.lang?.lowercased() {
            guard lang == "zh" || lang == "en" || lang.hasPrefix("zh-") || lang.hasPrefix("en-") else {
                return .failure(.init(line: line, field: "lang", reason: "unsupported language \"\(lang)\" (expected zh or en)"))
            }
            language = String(lang.prefix(2))
        }
        return .success(LabeledExample(line: line, id: raw.id, text: text, categories: categories, sentiment: sentiment, language: language))
    }
}
