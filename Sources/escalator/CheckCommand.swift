import ArgumentParser
import FeedloopCore
import FeedloopRuntime
import Foundation

/// Validates an SLA policy file the way the worker does at start, without starting.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks an SLA policy file.",
        discussion: """
            With FILE, checks it the way the worker does at start and prints a summary (calendars, policies, ladders and the policy hash), or every problem as FILE:LINE: reason on standard error (exit status 1). Without FILE, checks what the worker would load: FEEDLOOP_SLA_CONFIG, else config/sla.yaml when present, else the built-in defaults.
            """
    )

    @Argument(help: "An SLA policy YAML file.")
    var file: String?

    func run() throws {
        let path = file ?? SLAConfiguration.path(environment: Environment())
        let sla = try Self.load(path)
        print(
            "\(path ?? "built-in defaults"): \(sla.calendars.count) calendars, \(sla.policies.count) policies, "
                + "\(sla.departmentLadders.count + 1) ladders; valid (policy hash \(sla.policyHash.prefix(12)))")
    }

    /// Loads a file; problems go to standard error as FILE:LINE: reason and end the process with status 1.
    static func load(_ path: String?) throws -> SLAConfiguration {
        do {
            return try SLAConfiguration.load(path: path)
        } catch let error as ConfigFileError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            FileHandle.standardError.write(Data("feedloop-escalator: \(error.file) has \(error.problems.count) problem(s)\n".utf8))
            throw ExitCode.failure
        }
    }
}
