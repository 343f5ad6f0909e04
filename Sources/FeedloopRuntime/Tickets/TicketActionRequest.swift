import FeedloopCore

/// One staff action as asked for, before it is checked against the ticket.
public struct TicketActionRequest: Sendable, Equatable {
    public var ticketId: Int64
    public var action: TicketAction
    /// Who acts: an API key's name, `feedloopctl:<user>`, `survey`.
    public var actor: String
    public var note: String?
    /// For ``TicketAction/assign`` (required) and any other action (optional, sets the assignee).
    public var assignee: String?

    /// Longest reply or plan kept; longer text is refused, not cut.
    public static let maxNoteLength = 10_000

    public init(ticketId: Int64, action: TicketAction, actor: String, note: String? = nil, assignee: String? = nil) {
        self.ticketId = ticketId
        self.action = action
        self.actor = actor
        self.note = note
        self.assignee = assignee
    }

    /// What is wrong with the request itself, field by field (empty when nothing is).
    public func problems() -> [FieldError] {
        var problems: [FieldError] = []
        let note = self.note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if action.requiresNote, note.isEmpty {
            problems.append(FieldError(field: "note", reason: "a \(action.rawValue) needs the text the customer is shown"))
        }
        if let n = self.note, n.count > Self.maxNoteLength {
            problems.append(FieldError(field: "note", reason: "longer than \(Self.maxNoteLength) characters"))
        }
        let assignee = self.assignee?.trimmingCharacters(in: .whitespaces) ?? ""
        if action == .assign, assignee.isEmpty {
            problems.append(FieldError(field: "assignee", reason: "an assignment needs the person's id"))
        }
        if let a = self.assignee, a.count > 200 {
            problems.append(FieldError(field: "assignee", reason: "longer than 200 characters"))
        }
        if actor.isEmpty {
            problems.append(FieldError(field: "actor", reason: "is empty"))
        }
        return problems
    }
}
