import FeedloopCore
import Foundation
import Postgres

/// Adds a batch of events to the rollups, in the caller's transaction (docs/ANALYTICS.md).
///
/// Every change is additive and belongs to exactly one event, and the consume loop's inbox
/// drops message ids it has handled, so a redelivered event changes nothing. The ticket's
/// dimensions come from its row (one lookup per batch), so every event of a ticket lands in
/// the same cells; a ticket's received count moves from its unclassified cell to its
/// classified cell when the classification is counted, whichever event comes first.
///
/// SLA outcomes depend on two events that may arrive in either order (the clock's stop and
/// its first escalation), so each clock's stop and breach are kept in `analytics_clocks` and
/// the counters change by the difference between the clock's contribution before and after.
public struct RollupUpdater: Sendable {
    public var timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// A decoded event, with what counting it needs.
    enum Item {
        case received(ticket: Int64)
        case classified(ticket: Int64)
        case acted(TicketActed)
        case escalated(TicketEscalated)
        case warned(TicketSLAWarning)
        case answered(SurveyAnswered)
    }

    public func apply(_ messages: [InboundMessage], in db: PostgresConnection) throws {
        var items: [Item] = []
        for m in messages {
            switch m.type {
            case .feedbackReceived: items.append(.received(ticket: m.header.ticketId))
            case .ticketClassified: items.append(.classified(ticket: m.header.ticketId))
            case .ticketEscalated: items.append(.escalated(try m.decode(TicketEscalated.self).data))
            case .ticketSLAWarning: items.append(.warned(try m.decode(TicketSLAWarning.self).data))
            case .surveyAnswered: items.append(.answered(try m.decode(SurveyAnswered.self).data))
            case .notificationSent: break
            case .ticketAssigned, .ticketResponded, .ticketPlanRecorded, .ticketWaitingCustomer, .ticketCustomerReplied, .ticketResolved,
                .ticketReopened, .ticketClosed:
                items.append(.acted(try m.decode(TicketActed.self).data))
            }
        }
        try apply(items, in: db)
    }

    func apply(_ items: [Item], in db: PostgresConnection) throws {
        guard !items.isEmpty else { return }
        let ticketIds = Set(
            items.map { item -> Int64 in
                switch item {
                case .received(let t), .classified(let t): return t
                case .acted(let e): return e.ticketId
                case .escalated(let e): return e.ticketId
                case .warned(let e): return e.ticketId
                case .answered(let e): return e.ticketId
                }
            }
        ).filter { $0 > 0 }
        let dims = try Self.dimensions(of: Array(ticketIds), in: db)
        // Events leave the outbox only after their ticket committed; one naming no ticket can
        // never be counted, so it is dead-lettered with the reason instead of dropped.
        if let missing = ticketIds.sorted().first(where: { dims[$0] == nil }) {
            throw PermanentMessageError("ticket \(missing) does not exist")
        }
        let actions = try Self.clockActions(of: items, in: db)

        var changes = RollupChanges()
        var clockEvents: [ClockKey: [ClockEvent]] = [:]
        for item in items {
            switch item {
            case .received(let id):
                guard let d = dims[id] else { continue }
                let day = self.day(d.receivedAt)
                changes.add(.received, day: day, d.unclassified)
            case .classified(let id):
                guard let d = dims[id] else { continue }
                let day = self.day(d.receivedAt)
                changes.add(.received, -1, day: day, d.unclassified)
                changes.add(.received, day: day, d)
                // Open from classification on: duplicates and rejections never are.
                changes.add(.openDelta, day: day, d)
                changes.add(.classified, day: day, d)
                changes.addExample(day: day, kind: "problem", key: "\(d.category)/\(d.subcategory)", ticketId: id)
                for keyword in Set(d.keywords) {
                    changes.addKeyword(day: day, d, keyword: keyword)
                }
                for keyword in d.keywords.prefix(3) {
                    changes.addExample(day: day, kind: "keyword", key: keyword, ticketId: id)
                }
            case .acted(let e):
                guard let d = dims[e.ticketId] else { continue }
                let day = self.day(e.actedAt)
                let seconds = e.actedAt.timeIntervalSince(d.receivedAt)
                switch e.action {
                case .respond, .plan:
                    let metric: SLAMetric = e.action == .respond ? .firstResponse : .plan
                    guard actions.first[ActionKey(ticket: e.ticketId, action: e.action)] == e.actionId else { continue }
                    changes.addDuration(day: day, d, metric: metric, seconds: seconds)
                    clockEvents[ClockKey(ticket: e.ticketId, metric: metric, cycle: 1), default: []].append(.stopped(e.actedAt))
                case .resolve:
                    changes.add(.resolved, day: day, d)
                    changes.add(.openDelta, -1, day: day, d)
                    changes.addDuration(day: day, d, metric: .resolution, seconds: seconds)
                    let cycle = 1 + (actions.reopens[e.ticketId] ?? []).filter { $0 < e.actionId }.count
                    clockEvents[ClockKey(ticket: e.ticketId, metric: .resolution, cycle: cycle), default: []].append(.stopped(e.actedAt))
                case .reopen:
                    changes.add(.reopened, day: day, d)
                    changes.add(.openDelta, day: day, d)
                case .close:
                    changes.add(.closed, day: day, d)
                case .assign, .waitCustomer, .customerReply:
                    break
                }
            case .escalated(let e):
                guard let d = dims[e.ticketId] else { continue }
                let day = self.day(e.escalatedAt)
                changes.addEscalation(day: day, d, metric: e.metric, step: e.step)
                if e.step == 1 {
                    changes.add(.escalated, day: day, d)
                    clockEvents[ClockKey(ticket: e.ticketId, metric: e.metric, cycle: e.cycle), default: []].append(.breached(e.escalatedAt))
                }
            case .warned(let e):
                guard let d = dims[e.ticketId] else { continue }
                changes.add(.warned(e.metric), day: self.day(e.warnedAt), d)
            case .answered(let e):
                let d = dims[e.ticketId] ?? TicketDimensions.none
                changes.addSurvey(day: self.day(e.submittedAt), d, surveyId: e.surveyId, Self.totals(of: e))
            }
        }
        try applyClocks(clockEvents, dims: dims, to: &changes, in: db)
        try changes.write(to: db)
        try VerdictCounts.fold(in: db)
    }

    func day(_ instant: Date) -> LocalDate { LocalDate(instant, in: timeZone) }

    /// One survey answer as sums.
    static func totals(of e: SurveyAnswered) -> SurveyTotals {
        var t = SurveyTotals()
        if e.ticketId > 0 { t.followups = 1 }
        guard e.valid else {
            t.invalid = 1
            for kind in Set(e.flags.map(\.flag)) { t.flags[kind] = 1 }
            return t
        }
        t.answers = 1
        if e.overall >= 4 { t.overallHigh = 1 }
        if let nps = e.nps {
            t.npsAnswers = 1
            switch SatisfactionStatistics.npsGroup(nps) {
            case .promoter: t.promoters = 1
            case .detractor: t.detractors = 1
            case .passive: break
            }
        }
        let total = Double(e.scores.reduce(0) { $0 + $1.score })
        t.totalSum = total
        t.totalSquares = total * total
        for s in e.scores {
            let x = Double(s.score)
            t.dimensions[s.dimension, default: DimensionSums()] += DimensionSums(n: 1, sum: x, squares: x * x)
        }
        return t
    }

    // MARK: Lookups

    static func dimensions(of ids: [Int64], in db: PostgresConnection) throws -> [Int64: TicketDimensions] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT id, coalesce(department, ''), channel, coalesce(category, ''), coalesce(subcategory, ''), coalesce(level, 0)::int8,
                   coalesce(customer_tier, ''), received_at, keywords
            FROM tickets WHERE id = ANY($1::int8[])
            """,
            [.intArray(ids)])
        var out: [Int64: TicketDimensions] = [:]
        for row in rows {
            out[try row.decode(Int64.self, at: 0)] = TicketDimensions(
                department: try row.decode(String.self, at: 1), channel: try row.decode(String.self, at: 2),
                category: try row.decode(String.self, at: 3), subcategory: try row.decode(String.self, at: 4),
                level: Int(try row.decode(Int64.self, at: 5)), tier: try row.decode(String.self, at: 6),
                receivedAt: try row.decode(Date.self, at: 7), keywords: try row.decode([String].self, at: 8))
        }
        return out
    }

    struct ActionKey: Hashable {
        var ticket: Int64
        var action: TicketAction
    }

    /// Each ticket's first reply and first plan (which stop their clocks) and its reopens
    /// (which number the resolution clock's cycles).
    static func clockActions(of items: [Item], in db: PostgresConnection) throws -> (first: [ActionKey: Int64], reopens: [Int64: [Int64]]) {
        let ids = Set(
            items.compactMap { item -> Int64? in
                if case .acted(let e) = item, [.respond, .plan, .resolve].contains(e.action) { return e.ticketId }
                return nil
            })
        guard !ids.isEmpty else { return ([:], [:]) }
        let rows = try db.query(
            """
            SELECT ticket_id, action, CASE WHEN action = 'reopen' THEN array_agg(id ORDER BY id) ELSE ARRAY[min(id)] END
            FROM ticket_actions WHERE ticket_id = ANY($1::int8[]) AND action IN ('respond', 'plan', 'reopen')
            GROUP BY ticket_id, action
            """,
            [.intArray(Array(ids))])
        var first: [ActionKey: Int64] = [:]
        var reopens: [Int64: [Int64]] = [:]
        for row in rows {
            let ticket = try row.decode(Int64.self, at: 0)
            let ids = try row.decode([Int64].self, at: 2)
            switch try row.decode(String.self, at: 1) {
            case "respond": first[ActionKey(ticket: ticket, action: .respond)] = ids.first
            case "plan": first[ActionKey(ticket: ticket, action: .plan)] = ids.first
            default: reopens[ticket] = ids
            }
        }
        return (first, reopens)
    }

    // MARK: Clocks

    struct ClockKey: Hashable, Comparable {
        var ticket: Int64
        var metric: SLAMetric
        var cycle: Int
        static func < (a: ClockKey, b: ClockKey) -> Bool {
            (a.ticket, a.metric.rawValue, a.cycle) < (b.ticket, b.metric.rawValue, b.cycle)
        }
    }

    enum ClockEvent {
        case stopped(Date)
        case breached(Date)
    }

    /// A clock as analytics saw it so far.
    struct ClockState: Equatable {
        var stoppedAt: Date?
        var breachedAt: Date?

        /// Whether the breach counts: it happened, and not after the clock stopped.
        var breachCounts: Bool {
            guard let b = breachedAt else { return false }
            return stoppedAt.map { b <= $0 } ?? true
        }
    }

    /// The counters a clock in `state` contributes: met or breached on the day it stopped,
    /// and overdue from the day it breached until the day it stopped.
    func contribution(_ state: ClockState, metric: SLAMetric) -> [(LocalDate, TicketCounter, Int64)] {
        var out: [(LocalDate, TicketCounter, Int64)] = []
        if let stopped = state.stoppedAt {
            out.append((day(stopped), state.breachCounts ? .breached(metric) : .met(metric), 1))
        }
        if state.breachCounts, let breached = state.breachedAt {
            out.append((day(breached), .overdueDelta, 1))
            if let stopped = state.stoppedAt { out.append((day(stopped), .overdueDelta, -1)) }
        }
        return out
    }

    func applyClocks(_ events: [ClockKey: [ClockEvent]], dims: [Int64: TicketDimensions], to changes: inout RollupChanges, in db: PostgresConnection)
        throws
    {
        guard !events.isEmpty else { return }
        let keys = events.keys.sorted()
        let arrays: [PostgresBind] = [
            .intArray(keys.map(\.ticket)), .textArray(keys.map(\.metric.rawValue)), .intArray(keys.map { Int64($0.cycle) }),
        ]
        // Create missing rows, then lock all of them in key order: two replicas counting the
        // stop and the breach of one clock at once take turns.
        try db.query(
            """
            INSERT INTO analytics_clocks (ticket_id, metric, cycle)
            SELECT * FROM unnest($1::int8[], $2::text[], $3::int4[]) ON CONFLICT DO NOTHING
            """, arrays)
        let rows = try db.query(
            """
            SELECT c.ticket_id, c.metric, c.cycle, c.stopped_at, c.breached_at FROM analytics_clocks c
            JOIN unnest($1::int8[], $2::text[], $3::int4[]) AS u(t, m, y) ON c.ticket_id = u.t AND c.metric = u.m AND c.cycle = u.y
            ORDER BY c.ticket_id, c.metric, c.cycle FOR UPDATE OF c
            """, arrays)
        var states: [ClockKey: ClockState] = [:]
        for row in rows {
            guard let metric = SLAMetric(rawValue: try row.decode(String.self, at: 1)) else { continue }
            let key = ClockKey(ticket: try row.decode(Int64.self, at: 0), metric: metric, cycle: Int(try row.decode(Int64.self, at: 2)))
            states[key] = ClockState(stoppedAt: try row.decode(Date?.self, at: 3), breachedAt: try row.decode(Date?.self, at: 4))
        }
        var updated: [ClockKey] = []
        for key in keys {
            let old = states[key] ?? ClockState()
            var new = old
            for event in events[key]! {
                switch event {
                case .stopped(let at): new.stoppedAt = new.stoppedAt ?? at
                case .breached(let at): new.breachedAt = new.breachedAt ?? at
                }
            }
            guard new != old, let d = dims[key.ticket] else { continue }
            for (day, counter, n) in contribution(old, metric: key.metric) { changes.add(counter, -n, day: day, d) }
            for (day, counter, n) in contribution(new, metric: key.metric) { changes.add(counter, n, day: day, d) }
            states[key] = new
            updated.append(key)
        }
        guard !updated.isEmpty else { return }
        try db.query(
            """
            UPDATE analytics_clocks c SET stopped_at = nullif(u.s, '')::timestamptz, breached_at = nullif(u.b, '')::timestamptz
            FROM unnest($1::int8[], $2::text[], $3::int4[], $4::text[], $5::text[]) AS u(t, m, y, s, b)
            WHERE c.ticket_id = u.t AND c.metric = u.m AND c.cycle = u.y
            """,
            [
                .intArray(updated.map(\.ticket)), .textArray(updated.map(\.metric.rawValue)), .intArray(updated.map { Int64($0.cycle) }),
                .textArray(updated.map { states[$0]!.stoppedAt.map(Self.timestamp) ?? "" }),
                .textArray(updated.map { states[$0]!.breachedAt.map(Self.timestamp) ?? "" }),
            ])
    }

    static func timestamp(_ date: Date) -> String { FeedloopJSON.formatTimestamp(date) }
}

extension TicketDimensions {
    /// A survey answer that follows up no ticket.
    static let none = TicketDimensions(
        department: "", channel: "", category: "", subcategory: "", level: 0, tier: "", receivedAt: Date(timeIntervalSince1970: 0), keywords: [])
}
