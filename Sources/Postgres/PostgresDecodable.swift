import Foundation

/// A Swift type that can be read from a text-format column value. Optionals decode NULL as nil.
public protocol PostgresDecodable {
    /// `text` is nil for SQL NULL.
    static func decode(postgresText text: String?, column: String) throws -> Self
}

extension PostgresDecodable {
    /// The non-NULL text, or `.decodingFailed` naming the column and the expected type.
    static func requireText(_ text: String?, column: String) throws -> String {
        guard let text else {
            throw PostgresError(.decodingFailed, message: "column \"\(column)\" is NULL, cannot decode it as non-optional \(Self.self)")
        }
        return text
    }

    /// The error for text that is not a valid `Self`. The value is left out on purpose: it may be
    /// customer data, and the column and type are enough to find the bug.
    static func invalid(column: String) -> PostgresError {
        PostgresError(.decodingFailed, message: "column \"\(column)\" does not hold a valid \(Self.self) value")
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> String {
        try requireText(text, column: column)
    }
}

/// Integers parse strictly (no whitespace, no overflow): a `numeric` with a fraction is an error, not a truncation.
extension Int: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Int {
        guard let value = Int(try requireText(text, column: column)) else { throw invalid(column: column) }
        return value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Int64 {
        guard let value = Int64(try requireText(text, column: column)) else { throw invalid(column: column) }
        return value
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Int32 {
        guard let value = Int32(try requireText(text, column: column)) else { throw invalid(column: column) }
        return value
    }
}

extension Int16: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Int16 {
        guard let value = Int16(try requireText(text, column: column)) else { throw invalid(column: column) }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Double {
        let text = try requireText(text, column: column)
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text), value.isFinite else { throw invalid(column: column) }
            return value
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Bool {
        switch try requireText(text, column: column) {
        case "t", "true": return true
        case "f", "false": return false
        default: throw invalid(column: column)
        }
    }
}

/// `timestamptz`, `timestamp` (as UTC) and `date` (UTC midnight) in ISO output.
extension Date: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Date {
        guard let value = PostgresTextFormat.parseTimestamp(try requireText(text, column: column)) else {
            throw invalid(column: column)
        }
        return value
    }
}

/// A one-dimensional array with no NULL elements (use `[String?]` when there may be some).
extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(postgresText text: String?, column: String) throws -> [Element] {
        guard let elements = PostgresTextFormat.parseArrayLiteral(try requireText(text, column: column)) else {
            throw invalid(column: column)
        }
        return try elements.map { element in
            guard let value = Element(postgresArrayElement: element) else { throw invalid(column: column) }
            return value
        }
    }
}

/// A type that can be an element of a decoded array (`[String]`, `[Int64]`, `[String?]`).
public protocol PostgresArrayElement {
    /// `text` is nil for a NULL element; nil result means the element does not fit.
    init?(postgresArrayElement text: String?)
}

extension String: PostgresArrayElement {
    public init?(postgresArrayElement text: String?) {
        guard let text else { return nil }
        self = text
    }
}

extension Int64: PostgresArrayElement {
    public init?(postgresArrayElement text: String?) {
        guard let text, let value = Int64(text) else { return nil }
        self = value
    }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public init?(postgresArrayElement text: String?) {
        guard let text else {
            self = .none
            return
        }
        guard let value = Wrapped(postgresArrayElement: text) else { return nil }
        self = .some(value)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text, column: column)
    }
}
