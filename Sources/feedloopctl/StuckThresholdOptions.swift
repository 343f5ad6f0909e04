import ArgumentParser

/// The threshold options `stuck` and `status` share; each falls back to its FEEDLOOP_STUCK_*
/// variable and then to the default (see ``StuckThresholds``).
struct StuckThresholdOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds a ticket may stay `received` (FEEDLOOP_STUCK_RECEIVED_S, default 60).", valueName: "seconds"))
    var receivedAfter: Double?

    @Option(
        help: ArgumentHelp("Seconds a classified ticket may go without SLA clocks (FEEDLOOP_STUCK_WITHOUT_CLOCKS_S, default 60).", valueName: "seconds"))
    var openWithoutClocksAfter: Double?

    @Option(
        help: ArgumentHelp("Seconds an `open` ticket may go without its acknowledgement (FEEDLOOP_STUCK_UNACKNOWLEDGED_S, default 60).", valueName: "seconds"))
    var unacknowledgedAfter: Double?

    @Option(
        help: ArgumentHelp("Seconds a `resolved` ticket may go without its follow-up (FEEDLOOP_STUCK_FOLLOW_UP_S, default 300).", valueName: "seconds"))
    var followUpAfter: Double?

    @Option(
        help: ArgumentHelp(
            "Seconds a clock's warning or escalation may be overdue (FEEDLOOP_STUCK_ESCALATION_LATE_S, default 60).", valueName: "seconds"))
    var escalationLateAfter: Double?

    @Option(
        help: ArgumentHelp(
            "Seconds a pending notification may be past its next attempt (FEEDLOOP_STUCK_NOTIFICATION_LATE_S, default 300).", valueName: "seconds"))
    var notificationLateAfter: Double?

    func validate() throws {
        for (name, value) in options where value != nil {
            guard let value, value >= 0, value.isFinite else { throw ValidationError("--\(name) must be a number of seconds, 0 or more") }
        }
    }

    private var options: [(String, Double?)] {
        [
            ("received-after", receivedAfter), ("open-without-clocks-after", openWithoutClocksAfter), ("unacknowledged-after", unacknowledgedAfter),
            ("follow-up-after", followUpAfter), ("escalation-late-after", escalationLateAfter), ("notification-late-after", notificationLateAfter),
        ]
    }

    /// The environment's thresholds with the options given on top.
    func resolve() throws -> StuckThresholds {
        var t = try StuckThresholds.fromEnvironment()
        if let receivedAfter { t.received = receivedAfter }
        if let openWithoutClocksAfter { t.withoutClocks = openWithoutClocksAfter }
        if let unacknowledgedAfter { t.unacknowledged = unacknowledgedAfter }
        if let followUpAfter { t.followUp = followUpAfter }
        if let escalationLateAfter { t.escalationLate = escalationLateAfter }
        if let notificationLateAfter { t.notificationLate = notificationLateAfter }
        return t
    }
}
