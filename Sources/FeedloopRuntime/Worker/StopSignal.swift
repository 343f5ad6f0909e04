import Foundation

/// A flag a blocking loop polls to learn that it should finish what it holds and return.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    public func set() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Sleeps up to `duration`, waking early once the signal is set.
    public func sleep(_ duration: Duration) {
        let end = ContinuousClock.now + duration
        while !isSet, ContinuousClock.now < end {
            Thread.sleep(forTimeInterval: min(0.05, (end - ContinuousClock.now).seconds))
        }
    }
}
