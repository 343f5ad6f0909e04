/// Where each field of an import comes from: `--map field=column`, repeatable, e.g.
/// `--map text=内容 --map external_id=工单号`. Fields not mapped use their own name.
public struct ImportMapping: Sendable, Hashable, CustomStringConvertible {
    /// The explicitly mapped columns (CSV) or dotted key paths (JSON lines).
    public private(set) var sources: [ImportField: String] = [:]

    public init() {}

    /// Parses `field=column` arguments; throws a usage error naming the known fields.
    public init(arguments: [String]) throws(ImportMappingError) {
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw ImportMappingError("--map \(argument): expected field=column, e.g. text=内容")
            }
            let name = argument[..<equals].trimmingSpaces.lowercased()
            let column = String(argument[argument.index(after: equals)...]).trimmingSpaces
            guard let field = ImportField(rawValue: name) else {
                throw ImportMappingError("--map \(argument): unknown field \"\(name)\"; the fields are \(ImportField.knownNames)")
            }
            guard !column.isEmpty else {
                throw ImportMappingError("--map \(argument): the column name is empty")
            }
            guard sources[field] == nil else {
                throw ImportMappingError("--map \(argument): \(field.rawValue) is mapped more than once")
            }
            sources[field] = column
        }
    }

    /// The CSV column a field is read from.
    public func column(for field: ImportField) -> String {
        sources[field] ?? field.rawValue
    }

    /// The JSON key path a field is read from.
    public func jsonPath(for field: ImportField) -> String {
        sources[field] ?? field.defaultJSONPath
    }

    /// A stable text of the explicit mappings, stored with an import run so that a resume
    /// with different options is refused.
    public var description: String {
        ImportField.allCases.compactMap { f in sources[f].map { "\(f.rawValue)=\($0)" } }.joined(separator: ",")
    }
}

/// A `--map` argument that cannot be used.
public struct ImportMappingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
