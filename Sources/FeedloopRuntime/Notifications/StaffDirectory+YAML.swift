import Foundation
import Yams

extension StaffDirectory {
    /// The variable that names the staff file.
    public static let environmentVariable = "FEEDLOOP_STAFF"

    /// The directory in the YAML file at `path`; throws ``ConfigFileError`` (`FILE:LINE: reason`)
    /// listing every problem.
    public static func load(path: String) throws -> StaffDirectory {
        try parse(yaml: try ConfigFileReader.read(path: path), file: path)
    }

    /// Parses and checks a staff file; `file` only names it in errors.
    public static func parse(yaml: String, file: String) throws -> StaffDirectory {
        let reader = ConfigFileReader()
        let root = try ConfigFileReader.compose(yaml: yaml, file: file)
        let directory = StaffFileParser(reader: reader).directory(root)
        try reader.check(file: file)
        guard let directory else { throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "no staff directory")]) }
        return directory
    }
}

/// Walks a staff file's YAML tree; every problem goes to the reader with its line.
struct StaffFileParser {
    let reader: ConfigFileReader

    func directory(_ root: Node?) -> StaffDirectory? {
        guard let root else {
            reader.fail(nil, "the file is empty; expected director, fallback_department, departments and people")
            return nil
        }
        guard
            let fields = reader.mapping(
                root, what: "the staff file", allowed: ["director", "fallback_department", "departments", "people"],
                required: ["director", "fallback_department", "departments", "people"])
        else { return nil }
        let people = fields["people"].map(self.people) ?? []
        let departments = fields["departments"].map(self.departments) ?? []
        let known = Set(people.map(\.id))
        for (node, dept) in departments {
            for (role, id) in [("head", dept.head), ("team_lead", dept.teamLead)] where !known.contains(id) {
                reader.fail(node, "department \(dept.id): \(role) \(id) is not listed under people")
            }
        }
        let director = fields["director"].flatMap { reader.nonEmptyString($0, what: "director") }
        if let director, let node = fields["director"], !known.contains(director) {
            reader.fail(node, "director \(director) is not listed under people")
        }
        let fallback = fields["fallback_department"].flatMap { reader.nonEmptyString($0, what: "fallback_department") }
        if let fallback, let node = fields["fallback_department"], !departments.contains(where: { $0.1.id == fallback }) {
            reader.fail(node, "fallback_department \(fallback) is not listed under departments")
        }
        guard let director, let fallback else { return nil }
        return StaffDirectory(people: people, departments: departments.map(\.1), director: director, fallbackDepartment: fallback)
    }

    func people(_ node: Node) -> [StaffDirectory.Person] {
        guard let pairs = reader.pairs(node, what: "people") else { return [] }
        if pairs.isEmpty { reader.fail(node, "people must list at least one person") }
        var seen = Set<String>()
        return pairs.compactMap { key, value in
            guard let id = identifier(key, what: "a person's id") else { return nil }
            if !seen.insert(id).inserted { reader.fail(key, "person \(id) is listed twice") }
            if StaffDirectory.roles.contains(id) { reader.fail(key, "person id \(id) is the name of a role; choose another") }
            let what = "person \(id)"
            guard
                let f = reader.mapping(
                    value, what: what, allowed: ["name", "roles", "email", "phone", "webhook", "locale"], required: ["name"])
            else { return nil }
            guard let name = f["name"].flatMap({ reader.nonEmptyString($0, what: "\(what): name") }) else { return nil }
            return StaffDirectory.Person(
                id: id, name: name, roles: f["roles"].map { reader.strings($0, what: "\(what): roles") } ?? [],
                email: f["email"].flatMap { email($0, what: "\(what): email") },
                phone: f["phone"].flatMap { phone($0, what: "\(what): phone") },
                webhook: f["webhook"].flatMap { webhook($0, what: "\(what): webhook") },
                locale: f["locale"].flatMap { reader.nonEmptyString($0, what: "\(what): locale") })
        }
    }

    func departments(_ node: Node) -> [(Node, StaffDirectory.Department)] {
        guard let pairs = reader.pairs(node, what: "departments") else { return [] }
        if pairs.isEmpty { reader.fail(node, "departments must list at least one department") }
        var seen = Set<String>()
        return pairs.compactMap { key, value in
            guard let id = identifier(key, what: "a department's id") else { return nil }
            if !seen.insert(id).inserted { reader.fail(key, "department \(id) is listed twice") }
            let what = "department \(id)"
            guard
                let f = reader.mapping(
                    value, what: what, allowed: ["name", "head", "team_lead", "email", "webhook", "locale"], required: ["head", "team_lead"])
            else { return nil }
            guard let head = f["head"].flatMap({ reader.nonEmptyString($0, what: "\(what): head") }),
                let lead = f["team_lead"].flatMap({ reader.nonEmptyString($0, what: "\(what): team_lead") })
            else { return nil }
            return (
                key,
                StaffDirectory.Department(
                    id: id, name: f["name"].flatMap { reader.nonEmptyString($0, what: "\(what): name") }, head: head, teamLead: lead,
                    email: f["email"].flatMap { email($0, what: "\(what): email") },
                    webhook: f["webhook"].flatMap { webhook($0, what: "\(what): webhook") },
                    locale: f["locale"].flatMap { reader.nonEmptyString($0, what: "\(what): locale") })
            )
        }
    }

    /// Lowercase letters, digits, `.`, `_` and `-`, starting with a letter.
    func identifier(_ node: Node, what: String) -> String? {
        guard let id = reader.nonEmptyString(node, what: what) else { return nil }
        let ok =
            id.first.map { $0.isASCII && $0.isLowercase } == true
            && id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        if !ok { reader.fail(node, "\(what) \(id) must be lowercase letters, digits, '.', '_' or '-', starting with a letter") }
        return ok ? id : nil
    }

    func email(_ node: Node, what: String) -> String? {
        guard let text = reader.nonEmptyString(node, what: what) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !text.contains(where: \.isWhitespace) else {
            reader.fail(node, "\(what) is not an email address")
            return nil
        }
        return text
    }

    /// Digits with an optional leading `+`, spaces and dashes removed.
    func phone(_ node: Node, what: String) -> String? {
        guard let text = reader.nonEmptyString(node, what: what) else { return nil }
        let compact = text.filter { $0 != " " && $0 != "-" }
        let digits = compact.hasPrefix("+") ? compact.dropFirst() : Substring(compact)
        guard (5...20).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            reader.fail(node, "\(what) must be 5 to 20 digits with an optional leading +")
            return nil
        }
        return compact
    }

    func webhook(_ node: Node, what: String) -> String? {
        guard let text = reader.nonEmptyString(node, what: what) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            reader.fail(node, "\(what) must be an http:// or https:// URL")
            return nil
        }
        return text
    }
}
