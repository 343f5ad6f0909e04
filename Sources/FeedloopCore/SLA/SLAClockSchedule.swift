import Foundation

/// When a clock next needs the escalator: its due time, its one warning and its next ladder
/// step, all on the clock's calendar. The escalator stores ``nextFireAt`` (the earliest of the
/// warning and the step) in one indexed column and claims clocks by it.
public struct SLAClockSchedule: Hashable, Sendable {
    /// The deadline; nil while paused or after the clock stopped.
    public var dueAt: Date?
    /// When the warning is due; nil once it was sent, or while the clock does not run.
    public var warnAt: Date?
    /// When ladder step ``nextStep`` fires; nil past the top of the ladder or while not running.
    public var nextStepAt: Date?
    /// The ladder step that fires next (1 for a clock that never escalated).
    public var nextStep: Int

    /// The earliest instant at which something fires, or nil when nothing will.
    public var nextFireAt: Date? {
        [warnAt, nextStepAt].compactMap { $0 }.min()
    }

    /// - Parameters:
    ///   - warned: whether this clock's warning was already sent (or skipped).
    ///   - stepsFired: ladder steps already fired for this clock and cycle.
    public init(clock: SLAClock, calendar: BusinessCalendar, ladder: EscalationLadder, warningShare: Double, warned: Bool, stepsFired: Int) {
        self.nextStep = stepsFired + 1
        guard !clock.isStopped, let since = clock.runningSince, let due = clock.dueAt(on: calendar) else {
            self.dueAt = nil
            self.warnAt = nil
            self.nextStepAt = nil
            return
        }
        self.dueAt = due
        // A clock resumed with more than the share used is warned as soon as it runs again.
        self.warnAt = warned ? nil : (clock.instant(atShare: warningShare, on: calendar) ?? since)
        self.nextStepAt = ladder.offset(ofStep: stepsFired + 1, targetSeconds: clock.targetSeconds).map { calendar.adding($0, to: due) }
    }
}
