import ArgumentParser
import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation

/// The worker: consumes ticket.classified and staff actions, scans for due clocks.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the escalator worker (the default).",
        discussion: details
    )

    static let details = """
        Consumes ticket.classified and every staff action (ticket.assigned, responded, plan_recorded, waiting_customer, customer_replied, resolved, reopened, closed) from feedloop.escalator. A classified ticket gets a first-response, a plan (when its policy has one) and a resolution clock, from its receipt, on the business calendar its policy names; the policy is the one for its level and customer tier. The first reply meets first response, a plan meets plan, resolve and close stop every clock, wait_customer pauses the clocks and customer_reply resumes them (the paused working time moves the due time), and reopen starts a new resolution clock (cycle 2, 3, …); first response never restarts.

        Every scan interval it claims clocks whose warning or next ladder step is due (FOR UPDATE SKIP LOCKED, served by the index sla_clocks_next_fire) and publishes ticket.sla_warning once when the warning share of a target is used, and ticket.escalated once per (ticket, metric, cycle, ladder step), recorded in escalations with the person or role notified, the assignee and why. Any number of replicas may run; none fires anything twice.

        The policies, calendars and escalation ladders come from FEEDLOOP_SLA_CONFIG, else config/sla.yaml when present, else the built-in defaults (the same as the shipped config/sla.yaml; format in docs/SLA.md). A file with any problem stops the worker at start: each problem is printed as FILE:LINE: reason on standard error and the exit status is 1. When the policies differ from those last recorded, open clocks get new due times at start and the change is recorded in sla_policy_changes.

        Environment, besides the shared settings below:
        \(SLAConfiguration.helpText)
          FEEDLOOP_SCAN_INTERVAL_MS how often due clocks are claimed [500]
          FEEDLOOP_SLA_TARGET_SCALE multiplies every target and fixed ladder delay, and
                                    runs every calendar 24x7, for drills and tests [1]

        \(FeedloopConfiguration.helpText)
        \(ObservabilityHelp.workerText(defaultPort: WorkerRole.escalator.defaultHTTPPort))
        """

    func run() async throws {
        let environment = Environment()
        let configuration = try FeedloopConfiguration(environment: environment, defaultHTTPPort: WorkerRole.escalator.defaultHTTPPort)
        let scan = try environment.milliseconds("FEEDLOOP_SCAN_INTERVAL_MS", default: 500, range: 10...60_000)
        let scaleText = environment.string("FEEDLOOP_SLA_TARGET_SCALE", default: "1")
        guard let scale = Double(scaleText), scale > 0, scale <= 1000 else {
            throw ConfigurationError(variable: "FEEDLOOP_SLA_TARGET_SCALE", reason: "expected a number above 0, got \"\(scaleText)\"")
        }
        let path = SLAConfiguration.path(environment: environment)
        let sla = try CheckCommand.load(path).scaled(by: scale)
        try await WorkerMain.runServingHealth(role: .escalator, configuration: configuration) { logger in
            logger.info(
                "SLA policies loaded",
                metadata: ["file": "\(path ?? "built-in")", "policies": "\(sla.policies.count)", "hash": "\(sla.policyHash.prefix(12))"])
            return ClockHandler(sla: sla, scanInterval: scan, logger: logger)
        }
    }
}
