/// Axis scales for the charts: a "nice" maximum (1, 2, 2.5 or 5 times a power of ten) and its
/// evenly spaced ticks, so that axes read 0, 50, 100 rather than 0, 43.7, 87.4.
public struct ChartScale: Equatable, Sendable {
    /// The axis maximum, at least the largest value.
    public let maximum: Double
    /// Tick values from 0 to ``maximum`` inclusive.
    public let ticks: [Double]

    /// A scale from 0 that holds `largest`; an empty or all-zero chart gets 0…1. With
    /// `wholeNumbers` (counts) ticks are at least 1 apart.
    public init(largest: Double, tickCount: Int = 4, wholeNumbers: Bool = false) {
        guard largest.isFinite, largest > 0 else {
            self.maximum = 1
            self.ticks = wholeNumbers ? [0, 1] : [0, 0.25, 0.5, 0.75, 1]
            return
        }
        let rough = largest / Double(tickCount)
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        var step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 * Double(tickCount) >= largest } ?? magnitude * 10
        if wholeNumbers { step = max(step.rounded(.up), 1) }
        let count = Int((largest / step).rounded(.up))
        // Rounded to nine decimals so that 3 × 0.2 is 0.6, not 0.6000000000000001.
        let ticks = (0...max(count, 1)).map { (Double($0) * step * 1e9).rounded() / 1e9 }
        self.maximum = ticks.last!
        self.ticks = ticks
    }

    /// Where `value` falls on an axis of `length` points (0 at the origin).
    public func position(_ value: Double, length: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value, 0), self.maximum) / self.maximum * length
    }

    /// A tick label: whole numbers without decimals, others with up to two.
    public static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        let hundredths = (value * 100).rounded() / 100
        var text = String(hundredths)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
