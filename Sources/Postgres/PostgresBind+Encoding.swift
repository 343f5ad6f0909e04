import CPostgres
import Foundation

extension PostgresBind {
    /// The type OID sent with the parameter; 0 (for `.null`) lets the server infer it.
    public var typeOID: Oid {
        switch self {
        case .null: return 0
        case .text: return 25
        case .int: return 20
        case .double: return 701
        case .bool: return 16
        case .timestamp: return 1184
        case .jsonb: return 3802
        case .textArray: return 1009
        case .intArray: return 1016
        }
    }

    /// The value in PostgreSQL text format; nil for SQL NULL.
    public var textValue: String? {
        switch self {
        case .null: return nil
        case .text(let value), .jsonb(let value): return value
        case .int(let value): return String(value)
        case .double(let value):
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
            // Swift prints the shortest text that reads back as the same Double.
            return "\(value)"
        case .bool(let value): return value ? "t" : "f"
        case .timestamp(let value): return PostgresTextFormat.timestamp(value)
        case .textArray(let value): return PostgresTextFormat.arrayLiteral(value)
        case .intArray(let value): return PostgresTextFormat.arrayLiteral(value)
        }
    }
}
