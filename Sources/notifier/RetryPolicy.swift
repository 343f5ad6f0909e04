import FeedloopRuntime

/// When a failed delivery is tried again: by default 10 s, 1 min, 10 min, then hourly, until
/// the row has used its attempts and is marked dead. Each delay is a TTL'd broker queue
/// (``DeliveryTopology``).
struct RetryPolicy: Sendable {
    /// Delay after the 1st, 2nd, 3rd… failure; the last one repeats.
    var delays: [Duration] = [.seconds(10), .seconds(60), .seconds(600), .seconds(3600)]
    var maxAttempts = 6

    /// The wait before the next attempt once `attempts` have failed, or nil when the row is dead.
    func delay(afterAttempts attempts: Int) -> Duration? {
        guard attempts < maxAttempts else { return nil }
        return delays[min(max(attempts, 1), delays.count) - 1]
    }

    /// `FEEDLOOP_NOTIFY_RETRY_DELAYS` (e.g. `10s,1m,10m,1h`; units ms, s, m, h) and
    /// `FEEDLOOP_NOTIFY_MAX_ATTEMPTS`.
    init(environment: Environment) throws {
        if let text = environment.optionalString("FEEDLOOP_NOTIFY_RETRY_DELAYS") {
            let parsed = try text.split(separator: ",").map { part in
                guard let delay = Self.duration(part.trimmingCharacters(in: .whitespaces)) else {
                    throw ConfigurationError(variable: "FEEDLOOP_NOTIFY_RETRY_DELAYS", reason: "'\(part)' is not a delay like 500ms, 10s, 1m or 1h")
                }
                return delay
            }
            guard !parsed.isEmpty else { throw ConfigurationError(variable: "FEEDLOOP_NOTIFY_RETRY_DELAYS", reason: "no delays given") }
            delays = parsed
        }
        maxAttempts = try environment.int("FEEDLOOP_NOTIFY_MAX_ATTEMPTS", default: 6, range: 1...100)
    }

    init() {}

    static func duration(_ text: String) -> Duration? {
        for (suffix, scale) in [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)].sorted(by: { $0.0.count > $1.0.count })
        where text.hasSuffix(suffix) {
            guard let n = Int(text.dropLast(suffix.count)), n > 0 else { return nil }
            return .milliseconds(n * scale)
        }
        return nil
    }
}
