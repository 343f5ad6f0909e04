import FeedloopCore
import Foundation
import Yams

extension SurveyCatalog {
    /// The variable that names the survey file; unset means the built-in questionnaire.
    public static let environmentVariable = "FEEDLOOP_SURVEYS"

    /// For `--help` texts.
    public static let helpText = """
          FEEDLOOP_SURVEYS         questionnaire file (YAML, docs/SURVEYS.md); default:
                                   the built-in after-resolution follow-up
        """

    /// The catalog in the YAML file at `path`, or ``builtIn`` when `path` is nil.
    /// Throws ``ConfigFileError`` (`FILE:LINE: reason`) for an unreadable or invalid file.
    public static func load(path: String?) throws -> SurveyCatalog {
        guard let path else { return .builtIn }
        return try parse(yaml: try ConfigFileReader.read(path: path), file: path)
    }

    /// Parses and validates a survey file; `file` only names it in errors.
    public static func parse(yaml: String, file: String) throws -> SurveyCatalog {
        let root = try ConfigFileReader.compose(yaml: yaml, file: file)
        var reader = SurveyFileReader()
        let questionnaires = reader.catalog(root)
        try reader.reader.check(file: file)
        return SurveyCatalog(questionnaires)
    }
}

/// Walks the YAML tree of a survey file, collecting every problem with its line.
struct SurveyFileReader {
    let reader = ConfigFileReader()
    var problems: [ConfigFileError.Problem] { reader.problems }

    /// Lowercase snake_case, starting with a letter, at most 63 characters.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first), s.unicodeScalars.count <= 63 else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    func fail(_ node: Node?, _ reason: String) {
        reader.fail(node, reason)
    }

    // MARK: Structure

    mutating func catalog(_ root: Node?) -> [Questionnaire] {
        guard let root, let fields = mapping(root, "the file", allowed: ["surveys"], required: ["surveys"]) else {
            if root == nil { fail(nil, "is empty; expected a mapping with a list under surveys") }
            return []
        }
        guard let list = sequence(fields["surveys"], "surveys") else { return [] }
        if list.isEmpty { fail(fields["surveys"], "surveys must list at least one questionnaire") }
        var seen: [String: Int] = [:]
        var result: [Questionnaire] = []
        for node in list {
            guard let q = questionnaire(node) else { continue }
            if let first = seen[q.id] {
                fail(node, "survey id \(q.id) is defined twice (first on line \(first))")
                continue
            }
            seen[q.id] = node.mark?.line ?? 1
            result.append(q)
        }
        return result
    }

    mutating func questionnaire(_ node: Node) -> Questionnaire? {
        let allowed = ["id", "title", "ticket", "minimum_seconds", "dimensions", "overall", "nps", "comment", "contradictions"]
        guard let f = mapping(node, "a survey", allowed: allowed, required: ["id", "title", "dimensions", "overall"]) else { return nil }
        let before = problems.count
        let id = identifier(f["id"], "survey id")
        let context = id.map { "survey \($0)" } ?? "the survey"
        let title = localized(f["title"], "\(context): title")
        var ticket = TicketFollowUp.none
        if let node = f["ticket"], let raw = string(node, "\(context): ticket") {
            if let value = TicketFollowUp(rawValue: raw) {
                ticket = value
            } else {
                fail(node, "\(context): ticket must be one of required, optional, none; got \(raw)")
            }
        }
        var minimumSeconds = Questionnaire.defaultMinimumSeconds
        if let node = f["minimum_seconds"], let value = integer(node, "\(context): minimum_seconds", range: 0...3600) {
            minimumSeconds = value
        }
        let dimensions = self.dimensions(f["dimensions"], context: context)
        let overall = localized(f["overall"], "\(context): overall")
        let nps = f["nps"].flatMap { localized($0, "\(context): nps") }
        let comment = f["comment"].flatMap { localized($0, "\(context): comment") }
        guard let id, let title, let overall, problems.count == before else { return nil }

        var q = Questionnaire(
            id: id, title: title, dimensions: dimensions, overall: overall, nps: nps, comment: comment, ticket: ticket,
            minimumSeconds: minimumSeconds, contradictions: []
        )
        q.contradictions = contradictions(f["contradictions"], of: q, context: context)
        return problems.count == before ? q : nil
    }

    mutating func dimensions(_ node: Node?, context: String) -> [SurveyDimension] {
        guard let list = sequence(node, "\(context): dimensions") else { return [] }
        if list.isEmpty { fail(node, "\(context): dimensions must list at least one dimension") }
        var result: [SurveyDimension] = []
        var seen: [String: Int] = [:]
        for item in list {
            guard let f = mapping(item, "\(context): a dimension", allowed: ["id", "label"], required: ["id", "label"]) else { continue }
            let id = identifier(f["id"], "\(context): dimension id")
            let label = localized(f["label"], "\(context): dimension \(id ?? "?") label")
            guard let id, let label else { continue }
            if SurveyItem.reservedNames.contains(id) {
                fail(f["id"], "\(context): dimension id \(id) is reserved for the \(id) question")
            } else if let first = seen[id] {
                fail(item, "\(context): dimension \(id) is defined twice (first on line \(first))")
            } else {
                seen[id] = item.mark?.line ?? 1
                result.append(SurveyDimension(id: id, label: label))
            }
        }
        return result
    }

    mutating func contradictions(_ node: Node?, of q: Questionnaire, context: String) -> [ContradictionRule] {
        guard let node else { return [] }
        guard let list = sequence(node, "\(context): contradictions") else { return [] }
        var result: [ContradictionRule] = []
        var seen: [String: Int] = [:]
        for item in list {
            let allowed = ["id", "when", "contradicts"]
            guard let f = mapping(item, "\(context): a contradiction rule", allowed: allowed, required: allowed) else { continue }
            guard let id = identifier(f["id"], "\(context): rule id") else { continue }
            if let first = seen[id] {
                fail(item, "\(context): rule \(id) is defined twice (first on line \(first))")
                continue
            }
            seen[id] = item.mark?.line ?? 1
            let when = conditions(f["when"], of: q, context: "\(context): rule \(id): when")
            let contradicts = conditions(f["contradicts"], of: q, context: "\(context): rule \(id): contradicts")
            if let when, let contradicts {
                result.append(ContradictionRule(id: id, when: when, contradicts: contradicts))
            }
        }
        return result
    }

    /// `{overall: ">= 4", nps: "<= 6"}`: every condition must hold.
    mutating func conditions(_ node: Node?, of q: Questionnaire, context: String) -> [ScoreCondition]? {
        guard let node, let pairs = pairs(node, context) else { return nil }
        if pairs.isEmpty {
            fail(node, "\(context) must name at least one item, e.g. {overall: \">= 4\"}")
            return nil
        }
        let before = problems.count
        var result: [ScoreCondition] = []
        for (keyNode, valueNode) in pairs {
            guard let name = keyNode.scalar?.string else {
                fail(keyNode, "\(context): item names must be plain strings")
                continue
            }
            guard let item = q.item(named: name) else {
                let hint = name == "nps" ? " (the survey does not ask nps)" : ""
                let known = q.items.map(\.name).joined(separator: ", ")
                fail(keyNode, "\(context): unknown item \(name)\(hint); expected one of \(known)")
                continue
            }
            guard let text = valueNode.scalar?.string, let condition = ScoreCondition.parse(text, item: item) else {
                fail(valueNode, "\(context): \(name) must be a comparison such as \">= 4\" (operators <, <=, =, !=, >=, >)")
                continue
            }
            if !item.range.contains(where: { condition.comparison.holds($0, condition.value) }) {
                fail(valueNode, "\(context): \(condition) can never hold; \(name) is scored \(item.range.lowerBound)–\(item.range.upperBound)")
                continue
            }
            result.append(condition)
        }
        return problems.count == before ? result : nil
    }

    // MARK: Values

    mutating func mapping(_ node: Node, _ what: String, allowed: [String], required: [String]) -> [String: Node]? {
        reader.mapping(node, what: what, allowed: allowed, required: required)
    }

    mutating func pairs(_ node: Node, _ what: String) -> [(Node, Node)]? {
        reader.pairs(node, what: what).map { $0.map { ($0.key, $0.value) } }
    }

    mutating func sequence(_ node: Node?, _ what: String) -> [Node]? {
        node.flatMap { reader.sequence($0, what: what) }
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        reader.nonEmptyString(node, what: what)
    }

    mutating func identifier(_ node: Node?, _ what: String) -> String? {
        guard let node, let s = string(node, what) else { return nil }
        guard Self.isIdentifier(s) else {
            fail(node, "\(what) \(s) must be lowercase snake_case (a-z, 0-9, _; starting with a letter; at most 63 characters)")
            return nil
        }
        return s
    }

    mutating func integer(_ node: Node, _ what: String, range: ClosedRange<Int>) -> Int? {
        reader.integer(node, what: what, in: range)
    }

    /// `{zh: 服务态度, en: Attitude}`: both languages are required.
    mutating func localized(_ node: Node?, _ what: String) -> LocalizedText? {
        guard let node, let f = mapping(node, what, allowed: ["zh", "en"], required: ["zh", "en"]) else { return nil }
        guard let zhNode = f["zh"], let enNode = f["en"] else { return nil }
        let zh = string(zhNode, "\(what).zh")
        let en = string(enNode, "\(what).en")
        guard let zh, let en else { return nil }
        return LocalizedText(zh: zh, en: en)
    }
}
