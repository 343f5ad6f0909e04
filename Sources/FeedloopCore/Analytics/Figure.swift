/// One number of a report beside the same number for the previous period of the same length.
///
/// `value` is nil when the figure is undefined for the period (a median of no tickets, a rate
/// with nothing due), never NaN, so that JSON stays valid and renderers print a dash.
public struct Figure: Hashable, Codable, Sendable {
    /// Whether the figure went up, down or stayed the same against the previous period.
    public enum Direction: String, Codable, Sendable {
        case up, down, flat
    }

    public var value: Double?
    public var previous: Double?
    /// `value - previous`; nil when either is undefined.
    public var change: Double?
    /// `change / |previous|`; nil when either is undefined or the previous value is 0.
    public var relativeChange: Double?
    /// `flat` when the change is nil or within 1e-9.
    public var direction: Direction

    public init(_ value: Double?, previous: Double?) {
        self.value = value
        self.previous = previous
        if let v = value, let p = previous {
            let delta = v - p
            self.change = delta
            self.relativeChange = p == 0 ? nil : delta / abs(p)
            self.direction = abs(delta) <= 1e-9 ? .flat : (delta > 0 ? .up : .down)
        } else {
            self.change = nil
            self.relativeChange = nil
            self.direction = .flat
        }
    }

    /// A count and its previous count.
    public init(count: Int64, previous: Int64) {
        self.init(Double(count), previous: Double(previous))
    }
}
