import Foundation
import Testing

@testable import FeedloopCore

@Suite struct ModelTrainingTests {
    static let rows: [(text: String, label: String)] = [
        ("快递太慢了，一个星期还没到", "logistics"), ("物流很慢，包裹还没到", "logistics"), ("快递员送货很快", "logistics"),
        ("the parcel arrived late", "logistics"), ("delivery took two weeks", "logistics"), ("shipping was slow and late", "logistics"),
        ("屏幕有裂缝，质量太差", "product"), ("手机电池不耐用，屏幕碎了", "product"), ("质量很好，屏幕清晰", "product"),
        ("the screen cracked after a day", "product"), ("battery life is great", "product"), ("the camera quality is poor", "product"),
        ("客服态度很差", "service"), ("客服回复太慢，态度不好", "service"), ("客服很耐心", "service"),
        ("the support agent was rude", "service"), ("customer service never replied", "service"), ("the staff were friendly", "service"),
    ]

    static func examples() -> [LabeledExample] {
        rows.enumerated().map { i, row in
            LabeledExample(line: i + 1, text: row.text, categories: [Category(rawValue: row.label)!], sentiment: i % 3 == 2 ? .positive : .negative)
        }
    }

    @Test func trainedModelPredictsWhatItLearned() throws {
        let (model, _) = try ModelTrainer().fit(Self.rows, task: "category")
        #expect(model.labels == ["logistics", "product", "service"])
        #expect(model.predict("快递还没到").label == "logistics")
        #expect(model.predict("屏幕质量太差").label == "product")
        #expect(model.predict("the agent was rude").label == "service")
        let p = model.predict("the parcel was late")
        #expect(p.label == "logistics")
        #expect(abs(p.probabilities.reduce(0, +) - 1) < 1e-9)
        #expect(p.probability > 1.0 / 3)
    }

    @Test func countsAreWhatTrainingSaw() {
        let f = TextFeaturizer(bucketBits: 10)
        let model = NaiveBayesModel.train(
            labels: ["a", "b"], examples: [([1, 2], 0), ([2, 3], 1), ([2], 1)], featurizer: f, alpha: 1
        )
        #expect(model.classDocuments == [1, 2])
        #expect(model.counts.occupiedBuckets == 3)
        // Class a saw 2 features, b 3, over a vocabulary of 3: log((1+1)/(2+3)) and log((0+1)/(3+3)) for bucket 1.
        var scores: [Double] = []
        model.logLikelihoods(of: [1], into: &scores)
        let priorA = log(2.0 / 5), priorB = log(3.0 / 5)
        #expect(abs(scores[0] - (priorA + log(2.0 / 5))) < 1e-6)
        #expect(abs(scores[1] - (priorB + log(1.0 / 6))) < 1e-6)
        // An unseen bucket moves nothing.
        model.logLikelihoods(of: [500], into: &scores)
        #expect(abs(scores[0] - priorA) < 1e-12 && abs(scores[1] - priorB) < 1e-12)
    }

    @Test func trainingIsDeterministicToTheByte() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let a = try ModelTrainer().train(Self.examples(), name: "t", fileName: "f.jsonl", trainedAt: date)
        let b = try ModelTrainer().train(Self.examples().reversed(), name: "t", fileName: "f.jsonl", trainedAt: date)
        #expect(try a.serialized() == b.serialized(), "row order does not change the model")
        let c = try ModelTrainer().train(Self.examples(), name: "t", fileName: "f.jsonl", trainedAt: date)
        #expect(try a.serialized() == c.serialized())
    }

    @Test func serializationRoundTrips() throws {
        let set = try ModelTrainer().train(Self.examples(), name: "t", fileName: "f.jsonl", trainedAt: Date(timeIntervalSince1970: 1_700_000_000))
        let data = try set.serialized()
        let back = try ClassifierModelSet.deserialize(data, version: 7)
        #expect(back.version == 7)
        var expected = set
        expected.version = 7
        #expect(back == expected)
        for row in Self.rows {
            #expect(back.category!.predict(row.text) == set.category!.predict(row.text))
        }
        #expect(try back.serialized() == data)
    }

    @Test func corruptBodiesAreRejected() throws {
        let set = try ModelTrainer().train(Self.examples(), name: "t", fileName: "f.jsonl", trainedAt: Date())
        var json = String(decoding: try set.serialized(), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"bucketBits\":18", with: "\"bucketBits\":40")
        #expect(throws: DecodingError.self) { try ClassifierModelSet.deserialize(Data(json.utf8)) }
    }

    @Test func oneLabelIsNotEnough() {
        #expect(throws: ModelTrainer.TrainingError.self) {
            try ModelTrainer().fit([("a", "product"), ("b", "product")], task: "category")
        }
    }

    @Test func summaryCountsRowsPerModelAndLanguage() throws {
        var examples = Self.examples()
        examples.append(LabeledExample(line: 99, text: "mixed", categories: [.product, .price], sentiment: nil))
        let set = try ModelTrainer().train(examples, name: "t", fileName: "f.jsonl", trainedAt: Date())
        #expect(set.training.rows == 19)
        #expect(set.training.categoryRows == 18)
        #expect(set.training.sentimentRows == 18)
        #expect(set.training.languages == ["zh": 9, "en": 10])
        #expect(set.sentiment?.labels == ["negative", "positive"])
    }
}
