import FeedloopCore
import Foundation

/// What a ticket is held to when a clock has to be started after classification (a reopen).
struct TicketFacts {
    var ticketId: Int64
    var level: Level?
    var tier: CustomerTier?
    var department: String?
}

/// How each staff action moves a ticket's clocks. Pure: takes the clocks, returns them changed.
enum ClockActions {
    /// Applies `action`, taken at `at`, to the clocks of one ticket (every metric and cycle).
    ///
    /// - respond meets first response (only the first reply counts: later ones find it stopped);
    /// - plan meets the plan clock; resolve and close stop every open clock;
    /// - wait_customer pauses running clocks and customer_reply resumes them;
    /// - reopen starts a new resolution clock (cycle + 1); first response never restarts.
    static func apply(
        _ action: TicketAction, at: Date, to clocks: inout [StoredClock], ticket: TicketFacts, sla: SLAConfiguration, policyHash: String
    ) {
        for i in clocks.indices where !clocks[i].clock.isStopped {
            let calendar = sla.calendar(clocks[i].calendarId)
            // A clock never goes back in time: an action dated before the clock's last change
            // (a clock started on receipt, an action replayed late) counts from that change.
            let now = max(at, clocks[i].clock.changedAt)
            switch action {
            case .respond where clocks[i].metric == .firstResponse, .plan where clocks[i].metric == .plan, .resolve, .close:
                let due = clocks[i].clock.dueAt(on: calendar)
                guard (try? clocks[i].clock.stop(at: now, on: calendar)) != nil else { continue }
                if clocks[i].clock.state == .breached, clocks[i].breachedAt == nil { clocks[i].breachedAt = due ?? now }
                clocks[i].changed = true
            case .waitCustomer where clocks[i].clock.runningSince != nil:
                if (try? clocks[i].clock.pause(at: now, on: calendar)) != nil { clocks[i].changed = true }
            case .customerReply where clocks[i].clock.state == .paused:
                if (try? clocks[i].clock.resume(at: now, on: calendar)) != nil { clocks[i].changed = true }
            default:
                continue
            }
        }
        guard action == .reopen, let level = ticket.level, let policy = sla.policy(level: level, tier: ticket.tier),
            let target = policy.targets[.resolution]
        else { return }
        let cycle = (clocks.filter { $0.metric == .resolution }.map(\.cycle).max() ?? 0) + 1
        let clock = SLAClock(metric: .resolution, targetSeconds: target, startedAt: at)
        let department = ticket.department ?? clocks.first?.department
        clocks.append(
            StoredClock(
                ticketId: ticket.ticketId, cycle: cycle, clock: clock, calendarId: policy.calendar, department: department,
                level: level, tier: ticket.tier, policyHash: policyHash))
    }
}
