/// Which CSV column holds each ``ImportField``, resolved once from the header row.
public struct ImportCSVLayout: Sendable {
    /// Column index per field, nil where the file has no such column.
    private var indexes: [ImportField: Int] = [:]
    /// Columns in the header, to check each row's width.
    public let width: Int

    /// Resolves the header; throws every problem (a mapped column that is missing, a required
    /// field without a column, a column used twice) with the field `header`.
    /// Header names match exactly after trimming, then case-insensitively.
    public init(header: [String], mapping: ImportMapping, hasDefaultChannel: Bool) throws(FeedbackValidationError) {
        width = header.count
        let names = header.map { $0.trimmingSpaces }
        let lowered = names.map { $0.lowercased() }
        var errors: [FieldError] = []
        for field in ImportField.allCases {
            let column = mapping.column(for: field)
            let index = names.firstIndex(of: column) ?? lowered.firstIndex(of: column.lowercased())
            if let index {
                if names.indices.filter({ names[$0] == names[index] }).count > 1 {
                    errors.append(FieldError(field: "header", reason: "has the column \(names[index]) more than once"))
                }
                indexes[field] = index
            } else if mapping.sources[field] != nil {
                errors.append(FieldError(field: "header", reason: "has no column \(column) (mapped to \(field.rawValue) by --map)"))
            } else if field == .text || (field == .channel && !hasDefaultChannel) {
                let hint = field == .channel ? "; map one with --map channel=COLUMN or give --channel" : "; map one with --map text=COLUMN"
                errors.append(FieldError(field: "header", reason: "has no column for \(field.rawValue)\(hint)"))
            }
        }
        guard errors.isEmpty else { throw FeedbackValidationError(errors: errors, line: 1) }
    }

    /// The values of one row; throws when the row is narrower or wider than the header.
    public func values(_ fields: [String]) throws(FeedbackValidationError) -> ImportValues {
        guard fields.count == width else {
            throw FeedbackValidationError(errors: [FieldError(field: "row", reason: "has \(fields.count) fields but the header has \(width)")])
        }
        var values = ImportValues()
        for (field, index) in indexes { values[field] = fields[index] }
        return values
    }
}
