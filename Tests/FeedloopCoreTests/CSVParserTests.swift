import Testing

@testable import FeedloopCore

@Suite struct CSVParserTests {
    static func fields(_ text: String) throws -> [[String]] {
        try CSVParser.parse(text).map(\.fields)
    }

    @Test func plainRecords() throws {
        #expect(try Self.fields("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test func lastLineWithoutTerminator() throws {
        #expect(try Self.fields("a,b\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test(arguments: ["a,b\r\n1,2\r\n", "a,b\n1,2\n", "a,b\r1,2\r"])
    func lineEndings(text: String) throws {
        #expect(try Self.fields(text) == [["a", "b"], ["1", "2"]])
    }

    @Test func emptyFields() throws {
        #expect(try Self.fields(",,\na,,b") == [["", "", ""], ["a", "", "b"]])
    }

    @Test func quotedFieldsWithSeparatorsQuotesAndLineBreaks() throws {
        let text = "id,text\n1,\"坏了, 真的\"\n2,\"she said \"\"hi\"\"\"\n3,\"line one\r\nline two\nline three\"\n4,\"\"\n"
        let records = try CSVParser.parse(text)
        #expect(
            records.map(\.fields) == [
                ["id", "text"], ["1", "坏了, 真的"], ["2", "she said \"hi\""], ["3", "line one\nline two\nline three"], ["4", ""],
            ])
        #expect(records.map(\.line) == [1, 2, 3, 4, 7])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        #expect(try Self.fields("a 5\" screen,b") == [["a 5\" screen", "b"]])
    }

    @Test func blankLinesAreSkippedAndLineNumbersKept() throws {
        let records = try CSVParser.parse("a\n\n\nb\r\n\r\nc")
        #expect(records.map(\.fields) == [["a"], ["b"], ["c"]])
        #expect(records.map(\.line) == [1, 4, 6])
    }

    @Test func byteOrderMarkIsDropped() throws {
        #expect(try Self.fields("\u{FEFF}channel,text\n") == [["channel", "text"]])
    }

    @Test func unterminatedQuoteReportsTheRecordStart() {
        let error = #expect(throws: CSVError.self) {
            try CSVParser.parse("a,b\n1,\"never\nclosed\n")
        }
        #expect(error?.code == .unterminatedQuote)
        #expect(error?.line == 2)
        #expect(error?.description == "line 2: quoted field is never closed")
    }

    @Test func textAfterClosingQuote() {
        let error = #expect(throws: CSVError.self) {
            try CSVParser.parse("a\n\"x\"y,z\n")
        }
        #expect(error?.code == .textAfterClosingQuote)
        #expect(error?.line == 2)
    }

    @Test func streamingLineByLineRecoversAfterAnError() throws {
        var parser = CSVParser()
        #expect(try parser.feed(line: "channel,text") == CSVRecord(fields: ["channel", "text"], line: 1))
        #expect(try parser.feed(line: "chat,\"first") == nil)
        #expect(try parser.feed(line: "second\"") == CSVRecord(fields: ["chat", "first\nsecond"], line: 2))
        #expect(throws: CSVError(code: .textAfterClosingQuote, line: 4)) {
            try parser.feed(line: "chat,\"bad\"x")
        }
        #expect(try parser.feed(line: "email,ok\r") == CSVRecord(fields: ["email", "ok"], line: 5))
        #expect(try parser.finish() == nil)
        #expect(parser.lineNumber == 5)
    }

    @Test func otherSeparators() throws {
        #expect(try CSVParser.parse("a;\"b;c\"\n", separator: ";").map(\.fields) == [["a", "b;c"]])
    }

    @Test func csvFeedsSubmissions() throws {
        let records = try CSVParser.parse("channel,text,customer_tier\nstore,\"包装破了, 盒子也压扁了\",vip\n")
        let s = try FeedbackSubmission.parse(csvHeader: records[0].fields, row: records[1].fields, line: records[1].line)
        #expect(s.text == "包装破了, 盒子也压扁了")
        #expect(s.customer?.tier == .vip)
    }
}
