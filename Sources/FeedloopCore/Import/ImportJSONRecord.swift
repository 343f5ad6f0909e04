import Foundation

/// Reads the ``ImportField`` values of one JSON-lines record through a mapping. Keys the
/// mapping does not use are ignored (exports carry extra ones); a dotted path reaches into
/// nested objects (`customer.ref`). Numbers are taken as their integer text for ids and
/// references, which exports often write unquoted.
public enum ImportJSONRecord {
    public static func values(_ bytes: [UInt8], mapping: ImportMapping) throws(FeedbackValidationError) -> ImportValues {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw FeedbackValidationError(errors: [FieldError(field: "row", reason: "is not valid JSON" + (detail.map { " (\($0))" } ?? ""))])
        }
        guard let dict = object as? [String: Any] else {
            throw FeedbackValidationError(errors: [FieldError(field: "row", reason: "must be a JSON object")])
        }
        var values = ImportValues()
        var errors: [FieldError] = []
        for field in ImportField.allCases {
            let path = mapping.jsonPath(for: field)
            guard let value = lookup(dict, path: path), !(value is NSNull) else { continue }
            if let s = value as? String {
                values[field] = s
            } else if let n = value as? NSNumber, String(cString: n.objCType) != "c", numericAllowed.contains(field),
                n.doubleValue == n.doubleValue.rounded(), abs(n.doubleValue) < 1e15
            {
                values[field] = String(n.int64Value)
            } else {
                errors.append(FieldError(field: field.rawValue, reason: "must be a string in \(path)"))
            }
        }
        guard errors.isEmpty else { throw FeedbackValidationError(errors: errors) }
        return values
    }

    private static let numericAllowed: Set<ImportField> = [.externalId, .customerRef, .customerPhone]

    private static func lookup(_ dict: [String: Any], path: String) -> Any? {
        if let direct = dict[path] { return direct }
        var current: Any = dict
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let object = current as? [String: Any], let next = object[String(part)] else { return nil }
            current = next
        }
        return current
    }
}
