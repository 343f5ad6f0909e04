import Foundation

/// A stretch of working time within one day, in minutes after local midnight, such as
/// 09:00–12:00 (`540..<720`). `end` may be 24:00 (1440).
public struct WorkingPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM` (24:00 allowed as an end); nil when malformed or empty.
    public init?(_ text: String) {
        let halves = text.split(separator: "-", omittingEmptySubsequences: false)
        guard halves.count == 2, let s = Self.minutes(halves[0]), let e = Self.minutes(halves[1]), s < e, s < 24 * 60 else {
            return nil
        }
        self.init(start: s, end: e)
    }

    public var minutes: Int { end - start }

    public var description: String { "\(Self.clock(start))-\(Self.clock(end))" }

    public static func < (a: WorkingPeriod, b: WorkingPeriod) -> Bool { (a.start, a.end) < (b.start, b.end) }

    static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return h * 60 + m
    }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
