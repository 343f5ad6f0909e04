/// One problem with one input field, e.g. `text: must not be empty`.
public struct FieldError: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The field as the sender named it: `text`, `customer.tier` in JSON, `customer_tier` in CSV.
    public var field: String
    /// What is wrong, phrased to complete "<field>: …".
    public var reason: String

    /// Creates a field error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(self.field): \(self.reason)" }
}
