import Foundation

/// A parameter value, sent in text format with an explicit type.
public enum PostgresBind: Sendable, Hashable {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case timestamp(Date)
    /// jsonb, given as JSON text.
    case jsonb(String)
    case textArray([String])
    case intArray([Int64])
}
