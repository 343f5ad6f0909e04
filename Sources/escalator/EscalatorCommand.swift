import ArgumentParser
import FeedloopCore
import FeedloopRuntime

@main
struct EscalatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedloop-escalator",
        abstract: "Holds tickets to their SLA clocks and escalates overdue ones.",
        discussion: """
            Consumes ticket.classified from feedloop.escalator and starts the ticket's clocks (first response, plan for level 1, resolution) from its level and customer tier. Every scan interval it claims clocks past their due time with FOR UPDATE SKIP LOCKED and publishes one ticket.escalated per (ticket, metric, ladder step): assignee at the due time, department head and director later. Any number of replicas may run; none escalates a step twice.

            \(FeedloopConfiguration.helpText)
              FEEDLOOP_SCAN_INTERVAL_MS how often due clocks are claimed [500]
              FEEDLOOP_SLA_TARGET_SCALE multiplies every SLA target, for drills [1]
            """
    )

    func run() async throws {
        let environment = Environment()
        let configuration = try FeedloopConfiguration(environment: environment)
        let scan = try environment.milliseconds("FEEDLOOP_SCAN_INTERVAL_MS", default: 500, range: 10...60_000)
        let scaleText = environment.string("FEEDLOOP_SLA_TARGET_SCALE", default: "1")
        guard let scale = Double(scaleText), scale > 0, scale <= 1000 else {
            throw ConfigurationError(variable: "FEEDLOOP_SLA_TARGET_SCALE", reason: "expected a number above 0, got \"\(scaleText)\"")
        }
        try await WorkerMain.run(role: .escalator, configuration: configuration) { _ in
            ClockHandler(targetScale: scale, scanInterval: scan)
        }
    }
}
