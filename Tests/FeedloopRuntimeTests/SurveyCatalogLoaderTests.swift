import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Testing

/// The survey file: the shipped one is the built-in default, and each kind of mistake is
/// reported as FILE:LINE: reason.
struct SurveyCatalogLoaderTests {
    static let shipped = TestServers.repositoryRoot.appendingPathComponent("config/surveys.yaml").path

    /// The problems `yaml` is refused with, as "LINE: reason".
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try SurveyCatalog.parse(yaml: yaml, file: "s.yaml")
            return []
        } catch let error as SurveyConfigurationError {
            return error.problems.map { "\($0.line): \($0.reason)" }
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    /// A small valid survey; tests replace parts of it.
    static let minimal = """
        surveys:
          - id: store_visit
            title: {zh: 门店回访, en: Store visit}
            dimensions:
              - id: waiting
                label: {zh: 等待时间, en: Waiting time}
              - id: staff
                label: {zh: 店员, en: Staff}
            overall: {zh: 总体, en: Overall}
        """

    @Test func shippedFileIsTheBuiltInDefault() throws {
        #expect(try SurveyCatalog.load(path: Self.shipped) == SurveyCatalog.builtIn)
    }

    @Test func noPathMeansTheBuiltInDefault() throws {
        #expect(try SurveyCatalog.load(path: nil) == SurveyCatalog.builtIn)
        #expect(SurveyCatalog.builtIn["resolution_followup"]?.dimensions.count == 4)
    }

    @Test func minimalSurveyTakesTheDefaults() throws {
        let q = try #require(try SurveyCatalog.parse(yaml: Self.minimal, file: "s.yaml")["store_visit"])
        #expect(q.ticket == .none)
        #expect(q.minimumSeconds == 30)
        #expect(q.nps == nil && q.comment == nil && q.contradictions.isEmpty)
        #expect(q.dimensions.map(\.id) == ["waiting", "staff"])
        #expect(q.dimensions[1].label == LocalizedText(zh: "店员", en: "Staff"))
    }

    @Test func rulesAndOptions() throws {
        let yaml =
            Self.minimal + """

                    ticket: optional
                    minimum_seconds: 45
                    nps: {zh: 推荐, en: Recommend}
                    contradictions:
                      - id: happy_but_slow
                        when: {overall: ">= 4", nps: '>=9'}
                        contradicts: {waiting: 1}
                """
        let q = try #require(try SurveyCatalog.parse(yaml: yaml, file: "s.yaml")["store_visit"])
        #expect(q.ticket == .optional)
        #expect(q.minimumSeconds == 45)
        #expect(
            q.contradictions == [
                ContradictionRule(
                    id: "happy_but_slow",
                    when: [
                        ScoreCondition(item: .overall, comparison: .greaterOrEqual, value: 4),
                        ScoreCondition(item: .nps, comparison: .greaterOrEqual, value: 9),
                    ],
                    contradicts: [ScoreCondition(item: .dimension("waiting"), comparison: .equal, value: 1)])
            ])
    }

    @Test func descriptionIsFileColonLine() {
        do {
            _ = try SurveyCatalog.parse(yaml: "surveys: 3\n", file: "conf/s.yaml")
            Issue.record("accepted")
        } catch {
            #expect("\(error)" == "conf/s.yaml:1: surveys must be a list, got \"3\"")
        }
    }

    @Test func unreadableFile() {
        #expect(throws: SurveyConfigurationError.self) { try SurveyCatalog.load(path: "/nonexistent/surveys.yaml") }
    }

    @Test func syntaxErrorHasItsLine() {
        let problems = Self.problems("surveys:\n  - id: a\n    title: {zh: x, en: y\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("4: invalid YAML") == true, "\(problems)")
    }

    @Test func structureErrors() {
        #expect(Self.problems("") == ["1: is empty; expected a mapping with a list under surveys"])
        #expect(
            Self.problems("questionnaires: []\n") == [
                "1: unknown key questionnaires in the file; expected one of surveys", "1: the file is missing the key surveys",
            ])
        #expect(Self.problems("surveys: []\n") == ["1: surveys must list at least one questionnaire"])
    }

    @Test func missingAndUnknownKeys() {
        let yaml = """
            surveys:
              - id: s
                titel: {zh: 门店, en: Store}
                dimensions:
                  - {id: waiting, label: {zh: 等待}}
                overall: {zh: 总体, en: Overall}
            """
        #expect(
            Self.problems(yaml) == [
                "2: a survey is missing the key title",
                "3: unknown key titel in a survey; expected one of id, title, ticket, minimum_seconds, dimensions, overall, nps, comment, contradictions",
                "5: survey s: dimension waiting label is missing the key en",
            ])
    }

    @Test func badValuesHaveTheirLines() {
        let yaml = """
            surveys:
              - id: Store-Visit
                title: {zh: 门店, en: Store}
                ticket: always
                minimum_seconds: -1
                dimensions:
                  - {id: overall, label: {zh: 总体, en: Overall}}
                  - {id: staff, label: {zh: 店员, en: Staff}}
                  - {id: staff, label: {zh: 店员, en: Staff}}
                overall: {zh: 总体, en: ""}
            """
        #expect(
            Self.problems(yaml) == [
                "2: survey id Store-Visit must be lowercase snake_case (a-z, 0-9, _; starting with a letter; at most 63 characters)",
                "4: the survey: ticket must be one of required, optional, none; got always",
                "5: the survey: minimum_seconds must be between 0 and 3600, got -1",
                "7: the survey: dimension id overall is reserved for the overall question",
                "9: the survey: dimension staff is defined twice (first on line 8)",
                "10: the survey: overall.en is empty",
            ])
    }

    @Test func duplicateSurveys() {
        let yaml = Self.minimal + "\n" + Self.minimal.split(separator: "\n", maxSplits: 1)[1]
        #expect(Self.problems(yaml) == ["10: survey id store_visit is defined twice (first on line 2)"])
    }

    @Test func ruleErrors() {
        let yaml =
            Self.minimal + """

                    contradictions:
                      - id: a
                        when: {overall: ">= 6"}
                        contradicts: {waiting: "<= 1"}
                      - id: b
                        when: {nps: ">= 9"}
                        contradicts: {speed: "<= 1"}
                      - id: c
                        when: {overall: "about 3"}
                        contradicts: {}
                      - id: a
                        when: {overall: 1}
                        contradicts: {staff: 1}
                      - id: d
                        when: {overall: 1}
                """
        #expect(
            Self.problems(yaml) == [
                "12: survey store_visit: rule a: when: overall >= 6 can never hold; overall is scored 1–5",
                "15: survey store_visit: rule b: when: unknown item nps (the survey does not ask nps); expected one of waiting, staff, overall",
                "16: survey store_visit: rule b: contradicts: unknown item speed; expected one of waiting, staff, overall",
                "18: survey store_visit: rule c: when: overall must be a comparison such as \">= 4\" (operators <, <=, =, !=, >=, >)",
                "19: survey store_visit: rule c: contradicts must name at least one item, e.g. {overall: \">= 4\"}",
                "20: survey store_visit: rule a is defined twice (first on line 11)",
                "23: survey store_visit: a contradiction rule is missing the key contradicts",
            ])
    }
}
