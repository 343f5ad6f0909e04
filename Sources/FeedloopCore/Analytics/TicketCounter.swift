/// The ticket counters a rollup cell holds; the raw value is the column name in
/// `analytics_ticket_counts`.
public enum TicketCounter: String, CaseIterable, Sendable, Codable {
    case received, classified, resolved, reopened, closed, escalated
    case openDelta = "open_delta"
    case overdueDelta = "overdue_delta"
    case firstResponseMet = "first_response_met"
    case firstResponseBreached = "first_response_breached"
    case planMet = "plan_met"
    case planBreached = "plan_breached"
    case resolutionMet = "resolution_met"
    case resolutionBreached = "resolution_breached"
    case firstResponseWarned = "first_response_warned"
    case planWarned = "plan_warned"
    case resolutionWarned = "resolution_warned"

    /// Position in ``TicketCounters/values``.
    public var index: Int { Self.indexes[self]! }

    private static let indexes: [TicketCounter: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// The met counter of a metric.
    public static func met(_ metric: SLAMetric) -> TicketCounter {
        switch metric {
        case .firstResponse: return .firstResponseMet
        case .plan: return .planMet
        case .resolution: return .resolutionMet
        }
    }

    /// The breached counter of a metric.
    public static func breached(_ metric: SLAMetric) -> TicketCounter {
        switch metric {
        case .firstResponse: return .firstResponseBreached
        case .plan: return .planBreached
        case .resolution: return .resolutionBreached
        }
    }

    /// The warnings counter of a metric.
    public static func warned(_ metric: SLAMetric) -> TicketCounter {
        switch metric {
        case .firstResponse: return .firstResponseWarned
        case .plan: return .planWarned
        case .resolution: return .resolutionWarned
        }
    }
}

/// One value per ``TicketCounter``; adds up cell by cell.
public struct TicketCounters: Hashable, Sendable {
    public var values: [Int64]

    public init() {
        self.values = Array(repeating: 0, count: TicketCounter.allCases.count)
    }

    public subscript(_ counter: TicketCounter) -> Int64 {
        get { values[counter.index] }
        set { values[counter.index] = newValue }
    }

    public static func += (a: inout TicketCounters, b: TicketCounters) {
        for i in a.values.indices { a.values[i] += b.values[i] }
    }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }
}
