/// Whether answers to a questionnaire refer to a ticket (the 回访 after a ticket is resolved).
public enum TicketFollowUp: String, CaseIterable, Hashable, Sendable {
    /// Every answer names the ticket it follows up; an unknown ticket is refused.
    case required
    /// An answer may name a ticket.
    case optional
    /// A general questionnaire; answers must not name a ticket.
    case none
}
