/// Estimated text widths, for laying out labels without a font engine: a CJK character is
/// about one em wide, a Latin letter or digit about 0.6 em. Good enough to size label columns
/// and to shorten labels that would overflow, never used for anything that must be exact.
public enum SVGTextWidth {
    /// The estimated width of `text` at font `size`.
    public static func estimate(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { width, scalar in width + (scalar.value >= 0x2E80 ? 1.0 : 0.6) * size }
    }

    /// `text`, cut and ended with `…` when it would be wider than `width`.
    public static func truncate(_ text: String, to width: Double, size: Double) -> String {
        guard estimate(text, size: size) > width else { return text }
        var kept = ""
        for character in text {
            let next = kept + String(character)
            if estimate(next + "…", size: size) > width { break }
            kept = next
        }
        return kept + "…"
    }
}
