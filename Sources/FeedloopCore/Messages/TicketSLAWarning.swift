import Foundation

/// A running SLA clock used its warning share of the target; sent once per ticket, metric and
/// clock cycle (a reopened ticket's new resolution clock is cycle 2).
public struct TicketSLAWarning: EventPayload, Equatable {
    public static let type = EventType.ticketSLAWarning
    public static let schemaVersion = 1
    public var ticketId: Int64
    public var metric: SLAMetric
    public var cycle: Int
    /// The share of the target used when the warning was due (0.8 by default).
    public var share: Double
    public var dueAt: Date
    public var department: String?
    public var assignee: String?
    public var warnedAt: Date

    public var messageDiscriminator: [String] { [metric.rawValue, String(cycle)] }

    public init(
        ticketId: Int64, metric: SLAMetric, cycle: Int, share: Double, dueAt: Date, department: String?, assignee: String?, warnedAt: Date
    ) {
        self.ticketId = ticketId
        self.metric = metric
        self.cycle = cycle
        self.share = share
        self.dueAt = dueAt
        self.department = department
        self.assignee = assignee
        self.warnedAt = warnedAt
    }
}
