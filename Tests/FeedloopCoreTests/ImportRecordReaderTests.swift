import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ImportRecordReaderTests {
    /// Everything the reader reports about a record, for comparisons.
    struct Seen: Equatable {
        var line: Int
        var endLine: Int
        var endOffset: Int64
        var fields: [String]?
        var malformed: String?
        var raw: String
    }

    static func read(_ text: String, _ format: ImportFormat, chunk: Int, offset: Int64 = 0, line: Int = 0) -> [Seen] {
        let bytes = Array(text.utf8)[Int(offset)...]
        var reader = ImportRecordReader(format: format, offset: offset, line: line)
        var seen: [Seen] = []
        func add(_ r: ImportRawRecord) {
            switch r.content {
            case .csv(let f): seen.append(Seen(line: r.line, endLine: r.endLine, endOffset: r.endOffset, fields: f, raw: r.raw))
            case .json(let b):
                seen.append(Seen(line: r.line, endLine: r.endLine, endOffset: r.endOffset, fields: [String(decoding: b, as: UTF8.self)], raw: r.raw))
            case .malformed(let e): seen.append(Seen(line: r.line, endLine: r.endLine, endOffset: r.endOffset, malformed: e.reason, raw: r.raw))
            }
        }
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = min(start + chunk, bytes.endIndex)
            reader.feed(Array(bytes[start..<end]), add)
            start = end
        }
        reader.finish(add)
        return seen
    }

    static let csv = "\u{FEFF}id,text\r\n1,\"登录失败,\n第二行\"\n\n2,plain 文本\n3,\"say \"\"hi\"\"\"\n4,\"a\"b\n5,last"

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1 << 20])
    func csvLineNumbersAndOffsetsDoNotDependOnChunkSize(chunk: Int) {
        let seen = Self.read(Self.csv, .csv, chunk: chunk)
        #expect(seen.map(\.line) == [1, 2, 5, 6, 7, 8])
        #expect(seen.map(\.endLine) == [1, 3, 5, 6, 7, 8])
        #expect(seen[0].fields == ["id", "text"])
        #expect(seen[1].fields == ["1", "登录失败,\n第二行"])
        #expect(seen[1].raw == "1,\"登录失败,\n第二行\"")
        #expect(seen[2].fields == ["2", "plain 文本"])
        #expect(seen[3].fields == ["3", "say \"hi\""])
        #expect(seen[4].malformed == "has text after a closing quote; double a quote inside a quoted field")
        #expect(seen[4].raw == "4,\"a\"b")
        #expect(seen[5].fields == ["5", "last"])
        #expect(seen.last?.endOffset == Int64(Self.csv.utf8.count))
    }

    @Test func csvQuotedRecordsMatchCSVParser() throws {
        let expected = try CSVParser.parse(Self.csv.replacingOccurrences(of: "4,\"a\"b\n", with: ""))
        let seen = Self.read(Self.csv.replacingOccurrences(of: "4,\"a\"b\n", with: ""), .csv, chunk: 4)
        #expect(seen.map(\.fields) == expected.map { Optional($0.fields) })
        #expect(seen.map(\.line) == expected.map(\.line))
    }

    @Test func resumingAtARecordOffsetKeepsAbsoluteLineNumbers() {
        let all = Self.read(Self.csv, .csv, chunk: 9)
        let resumed = Self.read(Self.csv, .csv, chunk: 9, offset: all[1].endOffset, line: all[1].endLine)
        #expect(resumed == Array(all[2...]))
    }

    @Test func unterminatedQuoteIsReportedAtTheRecordStart() {
        let seen = Self.read("id,text\n1,ok\n2,\"never closed\nmore\n", .csv, chunk: 3)
        #expect(seen.count == 3)
        #expect(seen[2].line == 3)
        #expect(seen[2].malformed == "has a quoted field that is never closed")
        #expect(seen[2].raw == "2,\"never closed\nmore")
    }

    @Test func invalidUTF8IsAMalformedRecordNotAnError() {
        var bytes = Array("id,text\n1,".utf8) + [0xFF, 0xFE] + Array("\n2,ok\n".utf8)
        var reader = ImportRecordReader(format: .csv)
        var lines: [(Int, Bool)] = []
        reader.feed(bytes) { r in
            if case .malformed = r.content { lines.append((r.line, true)) } else { lines.append((r.line, false)) }
        }
        reader.finish { _ in }
        #expect(lines.map(\.0) == [1, 2, 3])
        #expect(lines.map(\.1) == [false, true, false])
        bytes.removeAll()
    }

    @Test(arguments: [1, 4, 100])
    func jsonLinesSkipBlankLinesAndCountThem(chunk: Int) {
        let text = "{\"text\":\"a\"}\r\n\n   \n{\"text\":\"第二\"}\n{\"text\":\"c\"}"
        let seen = Self.read(text, .jsonl, chunk: chunk)
        #expect(seen.map(\.line) == [1, 4, 5])
        #expect(seen[1].fields == ["{\"text\":\"第二\"}"])
        #expect(seen.map(\.endOffset) == [14, 37, Int64(text.utf8.count)])
    }
}
