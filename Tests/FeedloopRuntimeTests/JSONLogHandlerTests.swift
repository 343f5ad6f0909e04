import Foundation
import Logging
import Testing

@testable import FeedloopRuntime

struct JSONLogHandlerTests {
    @Test func eachLineIsOneJSONObjectWithMetadataAsFields() throws {
        let line = JSONLogHandler.line(
            level: .info, label: "feedloop-classifier", message: "batch \"done\"\n",
            fields: ["ticket_id": "42", "queue": "feedloop.classifier", "msg": "ignored"], at: Date(timeIntervalSince1970: 0))
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["ts"] == "1970-01-01T00:00:00.000Z")
        #expect(object["level"] == "info")
        #expect(object["logger"] == "feedloop-classifier")
        #expect(object["msg"] == "batch \"done\"\n")
        #expect(object["ticket_id"] == "42")
        #expect(object["queue"] == "feedloop.classifier")
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONLogHandler.quoted("a\u{01}b\\c") == #""a\u0001b\\c""#)
    }

    @Test func theFormatComesFromTheEnvironment() {
        #expect(FeedloopLogging.format(from: Environment(["FEEDLOOP_LOG_FORMAT": "JSON"])).format == .json)
        #expect(FeedloopLogging.format(from: Environment([:])).format == .text)
        let bad = FeedloopLogging.format(from: Environment(["FEEDLOOP_LOG_FORMAT": "xml"]))
        #expect(bad.format == .text)
        #expect(bad.problem?.contains("must be text or json") == true)
    }
}
