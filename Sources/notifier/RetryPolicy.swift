/// When a failed delivery is tried again: 10 s, 1 min, 10 min, then hourly, until the row has
/// used its attempts and is marked dead.
struct RetryPolicy: Sendable {
    /// Delay after the 1st, 2nd, 3rd… failure; the last one repeats.
    var delays: [Duration] = [.seconds(10), .seconds(60), .seconds(600), .seconds(3600)]
    var maxAttempts = 6

    /// The wait before the next attempt once `attempts` have failed, or nil when the row is dead.
    func delay(afterAttempts attempts: Int) -> Duration? {
        guard attempts < maxAttempts else { return nil }
        return delays[min(max(attempts, 1), delays.count) - 1]
    }
}
