/// When a customer's new item repeats one of their earlier items: the classifier then marks it
/// `duplicate`, links it to the first and does not work it again.
public struct DuplicateRules: Hashable, Sendable {
    /// How far back an earlier item of the same customer counts (default 24 hours).
    public var window: Duration
    /// Most differing ``SimHash`` bits for two texts to be near-identical (default 7). Measured
    /// on public review data: unrelated texts came this close in about 1 pair in 70,000, while
    /// the same text with changed punctuation, case or spacing is at 0 and with one character
    /// added or dropped is within 7 in about two cases of three (docs/TAXONOMY.md).
    public var maxDistance: Int

    /// Creates rules.
    public init(window: Duration = .seconds(24 * 3600), maxDistance: Int = 7) {
        self.window = window
        self.maxDistance = maxDistance
    }

    /// The defaults.
    public static let `default` = DuplicateRules()

    /// Whether `candidate` repeats `original` by these rules.
    public func isDuplicate(_ candidate: SimHash, of original: SimHash) -> Bool {
        candidate.distance(to: original) <= self.maxDistance
    }
}
