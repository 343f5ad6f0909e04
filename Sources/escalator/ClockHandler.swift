import FeedloopCore
import FeedloopRuntime
import Foundation
import Logging
import Postgres

/// Starts a ticket's SLA clocks when it is classified, moves them with every staff action, and
/// (every scan interval) sends warnings and climbs the escalation ladder of clocks that are due.
final class ClockHandler: MessageHandler {
    /// The policies in force (already scaled for drills).
    let sla: SLAConfiguration
    let policyHash: String
    let tickInterval: Duration?
    let scanner: DueClockScanner
    let logger: Logger
    /// Whether this process compared its policies with the last recorded ones yet.
    private var policiesChecked = false

    init(sla: SLAConfiguration, scanInterval: Duration, logger: Logger) {
        self.sla = sla
        self.policyHash = sla.policyHash
        self.tickInterval = scanInterval
        self.scanner = DueClockScanner(sla: sla)
        self.logger = logger
    }

    func handle(_ messages: [InboundMessage], in db: PostgresConnection) throws -> [OutgoingMessage] {
        var classified: [TicketClassified] = []
        var acted: [Int64] = []
        for m in messages {
            if m.type == .ticketClassified {
                classified.append(try m.decode(TicketClassified.self).data)
            } else if TicketActed.types.contains(m.type) {
                acted.append(try m.decode(TicketActed.self).data.ticketId)
            }
        }
        try startClocks(classified, in: db)
        // Actions are read from ticket_actions, not from the messages: actions taken before the
        // ticket's clocks started are replayed, and each applies once whatever arrives twice.
        try applyActions(tickets: Set(classified.map(\.ticketId) + acted), in: db)
        return []
    }

    /// First response, plan (level 1) and resolution clocks from the ticket's receipt, on the
    /// calendar of its policy; a ticket that already has clocks is left alone.
    private func startClocks(_ events: [TicketClassified], in db: PostgresConnection) throws {
        guard !events.isEmpty else { return }
        let existing = try db.query("SELECT DISTINCT ticket_id FROM sla_clocks WHERE ticket_id = ANY($1)", [.intArray(events.map(\.ticketId))])
        var started = Set(try existing.map { try $0.decode(Int64.self, at: 0) })
        var clocks: [StoredClock] = []
        for event in events where started.insert(event.ticketId).inserted {
            guard let policy = sla.policy(level: event.level, tier: event.customerTier) else { continue }
            for metric in SLAMetric.allCases {
                guard let target = policy.targets[metric] else { continue }
                clocks.append(
                    StoredClock(
                        ticketId: event.ticketId, cycle: 1, clock: SLAClock(metric: metric, targetSeconds: target, startedAt: event.receivedAt),
                        calendarId: policy.calendar, department: event.department, level: event.level, tier: event.customerTier,
                        policyHash: policyHash))
            }
        }
        try ClockTable.save(clocks, sla, in: db)
    }

    /// Applies the tickets' staff actions not yet applied to their clocks, in order.
    private func applyActions(tickets: Set<Int64>, in db: PostgresConnection) throws {
        guard !tickets.isEmpty else { return }
        let ids = tickets.sorted()
        let rows = try db.query(
            "SELECT \(StoredClock.columns) FROM sla_clocks c WHERE c.ticket_id = ANY($1) ORDER BY c.ticket_id, c.metric, c.cycle FOR UPDATE",
            [.intArray(ids)])
        var clocks: [Int64: [StoredClock]] = [:]
        for row in rows {
            let clock = try StoredClock(row: row)
            clocks[clock.ticketId, default: []].append(clock)
        }
        guard !clocks.isEmpty else { return }
        let actions = try db.query(
            """
            SELECT a.id, a.ticket_id, a.action, a.at, t.level, t.customer_tier, t.department
            FROM ticket_actions a JOIN tickets t ON t.id = a.ticket_id
            WHERE a.ticket_id = ANY($1) ORDER BY a.id
            """,
            [.intArray(Array(clocks.keys))])
        for row in actions {
            let id = try row.decode(Int64.self, at: 0)
            let ticket = try row.decode(Int64.self, at: 1)
            guard var list = clocks[ticket], id > list.map(\.lastActionId).max() ?? 0 else { continue }
            let name = try row.decode(String.self, at: 2)
            guard let action = TicketAction(rawValue: name) else {
                logger.warning("unknown ticket action ignored", metadata: ["ticket": "\(ticket)", "action": "\(name)"])
                continue
            }
            let facts = TicketFacts(
                ticketId: ticket, level: try row.decode(Int?.self, at: 4).flatMap(Level.init(rawValue:)),
                tier: try row.decode(String?.self, at: 5).flatMap(CustomerTier.init(rawValue:)), department: try row.decode(String?.self, at: 6))
            ClockActions.apply(action, at: try row.decode(Date.self, at: 3), to: &list, ticket: facts, sla: sla, policyHash: policyHash)
            for i in list.indices {
                list[i].lastActionId = id
                list[i].changed = true
            }
            clocks[ticket] = list
        }
        try ClockTable.save(clocks.values.flatMap { $0 }, sla, in: db)
    }

    /// Re-evaluates open clocks once if the policies changed, then fires what is due.
    func tick(_ context: WorkerContext) throws {
        if !policiesChecked {
            try PolicyReevaluation(sla: sla, logger: logger).run(context.db)
            policiesChecked = true
        }
        try scanner.scan(context)
    }
}
