/// Something a respondent scores: one dimension, the overall score or the NPS question.
/// Contradiction rules and flags name items by ``name``.
public enum SurveyItem: Hashable, Sendable, CustomStringConvertible {
    case dimension(String)
    case overall
    case nps

    /// The reserved item names; no dimension may take them.
    public static let reservedNames: Set<String> = ["overall", "nps"]

    /// `overall`, `nps` or the dimension's id, as in the configuration and the answer JSON.
    public var name: String {
        switch self {
        case .dimension(let id): id
        case .overall: "overall"
        case .nps: "nps"
        }
    }

    /// The scores this item accepts: 1–5 for dimensions and overall, 0–10 for NPS.
    public var range: ClosedRange<Int> {
        switch self {
        case .dimension, .overall: 1...5
        case .nps: 0...10
        }
    }

    public var description: String { name }
}
