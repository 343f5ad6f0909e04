import Testing

@testable import FeedloopCore

@Suite struct ModelTrainingDataTests {
    @Test func jsonLinesWithCategoriesAndNullSentiment() throws {
        let text = """
            {"id": "1", "lang": "zh", "text": "物流太慢", "categories": ["logistics"], "sentiment": "negative"}

            {"id": "2", "text": "Great phone, fair price", "categories": ["product", "price"], "sentiment": null}
            {"text": "ok", "category": "other"}
            """
        let rows = try TrainingDataReader.read(text, format: .jsonl)
        #expect(rows.count == 3)
        #expect(rows[0].singleCategory == .logistics && rows[0].sentiment == .negative && rows[0].language == "zh")
        #expect(rows[1].line == 3 && rows[1].singleCategory == nil && rows[1].sentiment == nil && rows[1].language == "en")
        #expect(rows[2].categories == [.other])
    }

    @Test func csvWithHeader() throws {
        let text = "text,category,sentiment,lang\n\"快递慢, 很慢\",logistics,negative,zh\nnice,other,,en\n"
        let rows = try TrainingDataReader.read(text, format: .csv)
        #expect(rows.map(\.text) == ["快递慢, 很慢", "nice"])
        #expect(rows[1].sentiment == nil && rows[1].line == 3)
    }

    @Test func everyBadRowIsReportedWithItsLineAndField() {
        let text = """
            {"text": "a", "category": "product"}
            not json
            {"text": "", "category": "product"}
            {"text": "b", "category": "weather"}
            {"text": "c", "sentiment": "angry"}
            {"text": 5}
            """
        #expect {
            try TrainingDataReader.read(text, format: .jsonl)
        } throws: { error in
            guard let e = error as? TrainingDataError else { return false }
            return e.problems.map(\.line) == [2, 3, 4, 5, 6]
                && e.problems.map(\.field) == [nil, "text", "category", "sentiment", "text"]
                && e.description.contains("line 4: category: unknown category \"weather\"")
        }
    }

    @Test func csvWithoutTextColumnIsRejected() {
        #expect(throws: TrainingDataError.self) { try TrainingDataReader.read("body,category\nx,product\n", format: .csv) }
    }

    @Test func formatIsDetectedByNameThenContent() {
        #expect(TrainingDataReader.Format.detect(fileName: "a.csv", text: "{") == .csv)
        #expect(TrainingDataReader.Format.detect(fileName: "a.jsonl", text: "text") == .jsonl)
        #expect(TrainingDataReader.Format.detect(fileName: "data", text: "  {\"text\": 1}") == .jsonl)
    }
}
