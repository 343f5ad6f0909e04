import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// `feedloopctl report verify`: the rollups against a recomputation from the raw tables.
struct ReportVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a period's figures from the raw tables and print every difference from the rollups.",
        discussion: """
            Recomputes the period's totals (ticket counters overall, per dimension, per day, per \
            problem; still open and overdue at the end; duplicates; escalations per step; duration \
            histograms; keywords; survey sums) from tickets, ticket_actions, escalations, sla_clocks \
            and survey_responses by the rollups' definitions (docs/ANALYTICS.md), and compares them \
            number by number. Scans the raw tables: run it off-peak on large installations.

            Exits 0 when everything agrees, 1 on any difference (each printed as \
            `name: rollup ≠ raw`). Events still in the queue show as differences until the \
            analytics worker has counted them.

            Examples:
              feedloopctl report verify --period 2026-W47
              feedloopctl report verify --period 2026-11 --json | jq '.differences | length'
            """
    )

    @OptionGroup var options: ReportOptions

    @Flag(help: "Print {\"period\", \"differences\": [...]} as JSON (the exit code is the same).")
    var json = false

    func run() throws {
        let session = try CtlSession.start()
        let db = try session.openDatabase()
        defer { db.close() }
        let (period, filter) = try ReportArguments.parse(options, in: db)
        let differences = try ReportVerifier.differences(period, filter: filter, in: db)
        if json {
            struct Output: Encodable {
                var period: String
                var differences: [String]
            }
            try JSONOutput.print(Output(period: period.label, differences: differences))
            if !differences.isEmpty { throw ExitCode.failure }
            return
        }
        if differences.isEmpty {
            print("rollups agree with the raw tables for \(period.label)")
            return
        }
        print("\(differences.count) differences for \(period.label) (rollup ≠ raw):")
        for line in differences { print("  \(line)") }
        throw ExitCode.failure
    }
}
