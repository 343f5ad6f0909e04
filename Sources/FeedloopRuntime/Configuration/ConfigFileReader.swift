import Foundation
import Yams

/// Reads typed values out of a composed YAML tree, collecting every problem with its line
/// instead of stopping at the first. Each configuration file's parser walks its own structure
/// and asks this reader for mappings, lists and values, so all files report mistakes alike.
public final class ConfigFileReader {
    public private(set) var problems: [ConfigFileError.Problem] = []

    public init() {}

    /// The text of the file at `path`, or a ``ConfigFileError`` naming it.
    public static func read(path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, problems: [.init(line: 1, reason: "cannot read the file as UTF-8: \(error.localizedDescription)")])
        }
    }

    /// The YAML tree of `yaml` (nil for an empty document); a syntax error becomes a
    /// ``ConfigFileError`` with its line.
    public static func compose(yaml: String, file: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw ConfigFileError(file: file, problems: [.init(line: mark.line, reason: "invalid YAML: \(problem)")])
            default:
                throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "invalid YAML: \(error)")])
            }
        }
    }

    /// Throws the collected problems, if any, as one error for `file`.
    public func check(file: String) throws {
        if !problems.isEmpty { throw ConfigFileError(file: file, problems: problems) }
    }

    public func fail(_ node: Node?, _ reason: String) {
        self.problems.append(.init(line: node.map(self.line) ?? 1, reason: reason))
    }

    public func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// Whether the resolved tag of a scalar is `name` (plain `5` is an int, quoted `"5"` text).
    private static func has(_ scalar: Node.Scalar, _ name: Tag.Name) -> Bool {
        Node.scalar(scalar).tag == Tag(name)
    }

    /// How a node looks, for "expected …, got …" messages.
    public static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return Self.has(s, .null) ? "nothing" : "\"\(s.string)\""
        case .alias: return "an alias"
        }
    }

    /// The keys of a mapping; reports unknown, duplicate and missing keys.
    public func mapping(_ node: Node, what: String, allowed: [String], required: [String]) -> [String: Node]? {
        guard let pairs = self.pairs(node, what: what) else { return nil }
        var keys: [String: Node] = [:]
        for (keyNode, value) in pairs {
            guard let key = keyNode.scalar?.string else {
                self.fail(keyNode, "keys of \(what) must be plain words")
                continue
            }
            if !allowed.contains(key) {
                self.fail(keyNode, "unknown key \(key) in \(what); expected one of \(allowed.joined(separator: ", "))")
            } else if keys[key] != nil {
                self.fail(keyNode, "key \(key) appears twice in \(what)")
            } else {
                keys[key] = value
            }
        }
        for key in required where keys[key] == nil && pairs.allSatisfy({ $0.0.scalar?.string != key }) {
            self.fail(node, "\(what) is missing the key \(key)")
        }
        return keys
    }

    /// The entries of a mapping in file order, for mappings keyed by names the file chooses
    /// (departments, people, calendars).
    public func pairs(_ node: Node, what: String) -> [(key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            self.fail(node, "\(what) must be a mapping, got \(Self.kind(node))")
            return nil
        }
        return mapping.map { (key: $0.key, value: $0.value) }
    }

    public func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let items) = node else {
            self.fail(node, "\(what) must be a list, got \(Self.kind(node))")
            return nil
        }
        return Array(items)
    }

    public func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let s) = node, !Self.has(s, .null) else {
            self.fail(node, "\(what) must be text, got \(Self.kind(node))")
            return nil
        }
        return s.string
    }

    /// Text with surrounding white space removed, refusing empty text.
    public func nonEmptyString(_ node: Node, what: String) -> String? {
        guard let s = self.string(node, what: what) else { return nil }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            self.fail(node, "\(what) is empty")
            return nil
        }
        return trimmed
    }

    /// A list of non-empty texts (keywords, phrases, addresses).
    public func strings(_ node: Node, what: String) -> [String] {
        guard let items = self.sequence(node, what: what) else { return [] }
        return items.compactMap { item in
            guard case .scalar(let s) = item, !Self.has(s, .null), !s.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                if case .scalar = item {
                    self.fail(item, "empty entry in \(what)")
                } else {
                    self.fail(item, "\(what) must hold texts, got \(Self.kind(item))")
                }
                return nil
            }
            return s.string
        }
    }

    public func number(_ node: Node, what: String) -> Double? {
        guard case .scalar(let s) = node, Self.has(s, .int) || Self.has(s, .float), let v = Double(s.string) else {
            self.fail(node, "\(what) must be a number, got \(Self.kind(node))")
            return nil
        }
        return v
    }

    public func integer(_ node: Node, what: String) -> Int? {
        guard case .scalar(let s) = node, Self.has(s, .int), let v = Int(s.string) else {
            self.fail(node, "\(what) must be a whole number, got \(Self.kind(node))")
            return nil
        }
        return v
    }

    /// A whole number within `range`.
    public func integer(_ node: Node, what: String, in range: ClosedRange<Int>) -> Int? {
        guard let v = self.integer(node, what: what) else { return nil }
        guard range.contains(v) else {
            self.fail(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), got \(v)")
            return nil
        }
        return v
    }

    public func bool(_ node: Node, what: String) -> Bool? {
        guard case .scalar(let s) = node, Self.has(s, .bool) else {
            self.fail(node, "\(what) must be true or false, got \(Self.kind(node))")
            return nil
        }
        return ["true", "yes", "on", "y"].contains(s.string.lowercased())
    }
}
