/// How many tickets came, went and got stuck.
public struct ReportVolumes: Hashable, Codable, Sendable {
    /// Tickets received (stored by the producer) in the period.
    public var received: Figure
    /// Tickets classified, graded and routed in the period.
    public var classified: Figure
    /// Resolutions in the period (a ticket resolved twice counts twice).
    public var resolved: Figure
    public var reopened: Figure
    public var closed: Figure
    /// SLA clocks that reached the first ladder step (breached and escalated) in the period.
    public var escalated: Figure
    /// Tickets marked a duplicate of an earlier one in the period.
    public var duplicates: Figure
    /// Tickets refused by the classifier in the period.
    public var rejected: Figure
    /// Tickets not resolved, closed, duplicate or rejected at the end of the period
    /// (for a period ending today: now), and the same at the end of the previous period.
    public var stillOpen: Figure
    /// Of those, tickets with an SLA clock past due (escalated and not stopped).
    public var overdue: Figure

    public init(
        received: Figure, classified: Figure, resolved: Figure, reopened: Figure, closed: Figure, escalated: Figure, duplicates: Figure,
        rejected: Figure, stillOpen: Figure, overdue: Figure
    ) {
        self.received = received
        self.classified = classified
        self.resolved = resolved
        self.reopened = reopened
        self.closed = closed
        self.escalated = escalated
        self.duplicates = duplicates
        self.rejected = rejected
        self.stillOpen = stillOpen
        self.overdue = overdue
    }
}
