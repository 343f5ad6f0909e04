import Foundation

/// Whether a worker can do its job, as its own loops last found it: the consume loop (or the
/// producer's relay) reports each connection as it opens or breaks, so `/health/ready` reads
/// state and never opens a connection per probe.
///
/// Thread-safe: the blocking loops write from their threads, HTTP handlers read from the pool.
public final class Readiness: @unchecked Sendable {
    /// The checks every worker reports.
    public enum Check: String, CaseIterable, Sendable, Codable {
        /// The worker's database connection is open and its schema current.
        case database
        /// The worker's broker connection is open.
        case broker
        /// The worker's exchanges and queues are declared.
        case topology
    }

    /// One check's state: ok, or why not.
    public struct CheckState: Sendable, Equatable, Codable {
        public var ok: Bool
        public var reason: String?

        public static let ok = CheckState(ok: true, reason: nil)
        public static func failing(_ reason: String) -> CheckState { CheckState(ok: false, reason: reason) }
    }

    /// What `/health/ready` answers.
    public struct Report: Sendable, Equatable, Codable {
        public var status: String
        public var checks: [String: CheckState]

        public var isReady: Bool { status == "ready" }
    }

    private let lock = NSLock()
    private var states: [Check: CheckState]
    private var stopping = false

    /// Every check starts failing with "not connected yet".
    public init(checks: [Check] = Check.allCases) {
        states = Dictionary(uniqueKeysWithValues: checks.map { ($0, .failing("not connected yet")) })
    }

    public func set(_ check: Check, _ state: CheckState) {
        lock.lock()
        states[check] = state
        lock.unlock()
    }

    public func pass(_ check: Check) { set(check, .ok) }

    /// Marks `check` failing; the reason is shown to whoever probes, so it names the cause
    /// (an error message) and never carries personal data.
    public func fail(_ check: Check, _ reason: String) { set(check, .failing(reason)) }

    /// From SIGTERM on a worker is not ready (it takes no new work), whatever its connections.
    public func markStopping() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    public var report: Report {
        lock.lock()
        defer { lock.unlock() }
        var checks = Dictionary(uniqueKeysWithValues: states.map { ($0.key.rawValue, $0.value) })
        if stopping { checks["shutdown"] = .failing("stopping on SIGTERM") }
        let ready = checks.values.allSatisfy(\.ok)
        return Report(status: ready ? "ready" : "not_ready", checks: checks)
    }
}
