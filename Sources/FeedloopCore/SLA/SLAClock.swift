import Foundation

/// One SLA clock: a ticket's deadline for one metric on a business calendar, with pauses.
///
/// The clock keeps the working time used before its current run (``usedSeconds``) and when that
/// run began (``runningSince``); the due time is then the calendar's instant at which the rest of
/// the target is used up. Pausing banks the working time used so far, so time spent waiting for
/// the customer is added back on the calendar and the due time moves by exactly that much
/// working time. Transitions that make no sense (resuming a running clock, stopping a met one)
/// throw instead of silently changing the clock.
public struct SLAClock: Hashable, Sendable {
    public enum State: String, Codable, CaseIterable, Sendable {
        case running, paused, met, breached
    }

    public enum TransitionError: Error, Equatable, CustomStringConvertible {
        case notRunning(State)
        case notPaused(State)
        case stopped(State)
        case beforeLastChange

        public var description: String {
            switch self {
            case .notRunning(let s): return "the clock is \(s.rawValue), not running"
            case .notPaused(let s): return "the clock is \(s.rawValue), not paused"
            case .stopped(let s): return "the clock has stopped (\(s.rawValue))"
            case .beforeLastChange: return "the change is dated before the clock's last change"
            }
        }
    }

    public var metric: SLAMetric
    /// Working seconds allowed.
    public var targetSeconds: TimeInterval
    public var startedAt: Date
    public private(set) var state: State
    /// Working seconds used before ``runningSince`` (all of them while paused or stopped).
    public private(set) var usedSeconds: TimeInterval
    /// When the current run began; nil while paused or stopped.
    public private(set) var runningSince: Date?
    /// When the clock was met or breached-and-stopped.
    public private(set) var stoppedAt: Date?
    /// The last instant a transition was applied at; transitions must not go back in time.
    public private(set) var changedAt: Date

    /// A running clock started at `start`.
    public init(metric: SLAMetric, targetSeconds: TimeInterval, startedAt start: Date) {
        self.metric = metric
        self.targetSeconds = targetSeconds
        self.startedAt = start
        self.state = .running
        self.usedSeconds = 0
        self.runningSince = start
        self.stoppedAt = nil
        self.changedAt = start
    }

    /// A clock as it was stored: the escalator keeps clocks in `sla_clocks` and rebuilds them
    /// for every change.
    public init(
        metric: SLAMetric, targetSeconds: TimeInterval, startedAt: Date, state: State, usedSeconds: TimeInterval, runningSince: Date?,
        stoppedAt: Date?, changedAt: Date
    ) {
        self.metric = metric
        self.targetSeconds = targetSeconds
        self.startedAt = startedAt
        self.state = state
        self.usedSeconds = usedSeconds
        self.runningSince = runningSince
        self.stoppedAt = stoppedAt
        self.changedAt = changedAt
    }

    /// The deadline while the clock runs (or ran out); nil while paused or after it was met.
    public func dueAt(on calendar: BusinessCalendar) -> Date? {
        guard let since = runningSince else { return nil }
        return calendar.adding(max(0, targetSeconds - usedSeconds), to: since)
    }

    /// When `share` of the target will have been used (the warning time), or nil when that
    /// share is already used or the clock is not running.
    public func instant(atShare share: Double, on calendar: BusinessCalendar) -> Date? {
        guard let since = runningSince else { return nil }
        let remaining = targetSeconds * share - usedSeconds
        guard remaining > 0 else { return nil }
        return calendar.adding(remaining, to: since)
    }

    /// Working seconds used up to `now`.
    public func used(at now: Date, on calendar: BusinessCalendar) -> TimeInterval {
        guard let since = runningSince, now > since else { return usedSeconds }
        return usedSeconds + calendar.workingSeconds(from: since, to: now)
    }

    /// Stops counting while the ticket waits for the customer.
    public mutating func pause(at now: Date, on calendar: BusinessCalendar) throws {
        guard stoppedAt == nil else { throw TransitionError.stopped(state) }
        guard state == .running || state == .breached, runningSince != nil else { throw TransitionError.notRunning(state) }
        try advance(to: now)
        usedSeconds = used(at: now, on: calendar)
        runningSince = nil
        state = .paused
    }

    /// Counts again from `now`; the due time moves by the working time spent paused.
    public mutating func resume(at now: Date, on calendar: BusinessCalendar) throws {
        guard stoppedAt == nil else { throw TransitionError.stopped(state) }
        guard state == .paused else { throw TransitionError.notPaused(state) }
        try advance(to: now)
        runningSince = now
        state = usedSeconds >= targetSeconds ? .breached : .running
    }

    /// Marks the clock breached if its deadline passed by `now`; returns whether it is breached.
    @discardableResult
    public mutating func checkBreach(at now: Date, on calendar: BusinessCalendar) -> Bool {
        if state == .running, let due = dueAt(on: calendar), now >= due {
            state = .breached
        }
        return state == .breached
    }

    /// The measured event happened (the first response, the plan, the resolution): the clock is
    /// met when that was within the target, else it stays breached and stops.
    public mutating func stop(at now: Date, on calendar: BusinessCalendar) throws {
        guard stoppedAt == nil else { throw TransitionError.stopped(state) }
        guard state == .running || state == .paused || state == .breached else { throw TransitionError.stopped(state) }
        try advance(to: now)
        usedSeconds = used(at: now, on: calendar)
        runningSince = nil
        stoppedAt = now
        // A clock that was found breached stays breached, even when met exactly at its due time.
        state = state != .breached && usedSeconds <= targetSeconds ? .met : .breached
    }

    /// A policy change: the same clock with a new target; running clocks get a new due time.
    public mutating func retarget(_ seconds: TimeInterval, at now: Date, on calendar: BusinessCalendar) throws {
        guard stoppedAt == nil else { throw TransitionError.stopped(state) }
        try advance(to: now)
        targetSeconds = seconds
        if state == .breached || state == .running {
            state = used(at: now, on: calendar) >= seconds ? .breached : .running
        }
    }

    /// Whether the clock has stopped for good.
    public var isStopped: Bool { stoppedAt != nil }

    private mutating func advance(to now: Date) throws {
        guard now >= changedAt else { throw TransitionError.beforeLastChange }
        changedAt = now
    }
}
