/// Who a routed notification is for; the raw value is stored in `notifications.audience` and
/// names the template file (`<audience>.<locale>.mustache`).
public enum NotificationAudience: String, CaseIterable, Hashable, Sendable {
    /// The customer the ticket belongs to: the only audience that sees their name, contact
    /// details and text.
    case customer
    /// The department that owns the ticket: its shared inbox, else its team lead.
    case department
    /// The ticket's assignee, else the owning department's team lead.
    case assignee
    /// The owning department's team lead.
    case teamLead = "team_lead"
    /// The owning department's head.
    case departmentHead = "department_head"
    /// The director named in the staff directory.
    case director
    /// `ticket.escalated` only: the person or role the ladder step names (`notify`).
    case escalation

    /// Everyone but the customer sees customer data masked.
    public var isStaff: Bool { self != .customer }
}
