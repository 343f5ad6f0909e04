/// The rule that set a ticket's level; its raw value goes into `TicketClassified.levelRule`
/// and `tickets.level_rule`. Cases are in the order the rules are tried.
public enum LevelRule: String, Codable, CaseIterable, Sendable {
    /// A complaint from a VIP customer: level 1.
    case vipCustomer = "vip_customer"
    /// Words signalling legal, media, safety or widespread risk: level 1.
    case severityWords = "severity_words"
    /// Many distinct customers reported the same problem within a short window: level 1.
    case incident
    /// Sentiment so negative that one customer's item needs attention soon: level 2.
    case strongNegative = "strong_negative"
    /// A negative complaint about product, service, logistics or price: level 2.
    case negativeComplaint = "negative_complaint"
    /// Everything else (suggestions, praise, questions, minor issues): level 3.
    case defaultGeneral = "default_general"
}
