import Foundation

/// Reads configuration from environment variables. Only executables' `main` code uses it;
/// everything below takes a configuration struct. Errors name the variable and what was wrong.
public struct Environment: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default value: String) -> String {
        guard let v = values[name], !v.isEmpty else { return value }
        return v
    }

    public func optionalString(_ name: String) -> String? {
        guard let v = values[name], !v.isEmpty else { return nil }
        return v
    }

    public func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = values[name], !raw.isEmpty else { return value }
        guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(variable: name, reason: "expected a whole number, got \"\(raw)\"")
        }
        guard range.contains(v) else {
            throw ConfigurationError(variable: name, reason: "must be between \(range.lowerBound) and \(range.upperBound), got \(v)")
        }
        return v
    }

    public func bool(_ name: String, default value: Bool) throws -> Bool {
        guard let raw = values[name]?.lowercased(), !raw.isEmpty else { return value }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, reason: "expected true or false, got \"\(raw)\"")
        }
    }

    /// A duration given in milliseconds.
    public func milliseconds(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Duration {
        .milliseconds(try int(name, default: value, range: range))
    }
}

/// A configuration variable is malformed.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var variable: String
    public var reason: String
    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }
    public var description: String { "invalid \(variable): \(reason)" }
}
