import Foundation

/// Runs an action (usually a SIGKILL) the moment a condition holds, watched from a thread of
/// its own. A test's own polling runs on the cooperative pool, which suites running alongside
/// can keep busy past the point the test meant to act at; a kill that comes after the run has
/// finished proves nothing.
public final class Tripwire: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Int??

    /// Checks `condition` every `interval` until it holds, then runs `action` and keeps what it
    /// returns (for instance a count taken right after the kill). After `timeout` it gives up.
    public init(
        every interval: TimeInterval = 0.01, timeout: TimeInterval = 120, when condition: @escaping @Sendable () -> Bool,
        then action: @escaping @Sendable () -> Int
    ) {
        let thread = Thread { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else {
                    finish(nil)
                    return
                }
                Thread.sleep(forTimeInterval: interval)
            }
            finish(action())
        }
        thread.start()
    }

    /// Fires at a point in time rather than on a condition.
    public convenience init(at instant: Date, then action: @escaping @Sendable () -> Int) {
        self.init(timeout: max(0, instant.timeIntervalSinceNow) + 60, when: { Date() >= instant }, then: action)
    }

    private func finish(_ value: Int?) {
        lock.withLock { outcome = .some(value) }
    }

    /// What the action returned once it has run; nil if the condition never held in time.
    public func result() async -> Int? {
        while true {
            if let outcome = lock.withLock({ outcome }) { return outcome }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
