import Foundation
import Logging
import ServiceLifecycle

/// Bounds graceful shutdown: once SIGTERM (or SIGINT) starts it, the process has
/// `FEEDLOOP_SHUTDOWN_TIMEOUT_S` seconds to finish and acknowledge what it holds and exit 0;
/// past that it exits 1 at once, without acknowledging anything more, and the broker
/// redelivers what was unacknowledged. Kubernetes' `terminationGracePeriodSeconds` and
/// Compose's `stop_grace_period` should be a few seconds longer.
///
/// A lifecycle service placed last in a group, so it is the first to hear of the shutdown.
/// The deadline runs on a thread of its own: a consume loop blocked in C cannot delay it.
public struct ShutdownDeadline: Service {
    public static let variable = "FEEDLOOP_SHUTDOWN_TIMEOUT_S"
    public static let defaultSeconds = 25

    public let timeout: Duration
    let logger: Logger

    public init(timeout: Duration, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// Reads `FEEDLOOP_SHUTDOWN_TIMEOUT_S` (whole seconds, 1…3600, default 25).
    public init(environment: Environment = Environment(), logger: Logger) throws {
        let seconds = try environment.int(Self.variable, default: Self.defaultSeconds, range: 1...3600)
        self.init(timeout: .seconds(seconds), logger: logger)
    }

    public func run() async throws {
        // Throws CancellationError when the group ends without a graceful shutdown: nothing to bound.
        try await gracefulShutdown()
        logger.notice("shutting down", metadata: ["timeout_s": "\(timeout.components.seconds)"])
        let timeout = self.timeout
        let logger = self.logger
        let thread = Thread {
            Thread.sleep(forTimeInterval: timeout.seconds)
            logger.critical(
                "graceful shutdown did not finish in time; exiting 1 without acknowledging the rest (the broker redelivers it)",
                metadata: ["timeout_s": "\(timeout.components.seconds)"]
            )
            // `_exit`: no atexit handlers, which could wait on the very threads that are stuck.
            _exit(1)
        }
        thread.name = "feedloop-shutdown-deadline"
        thread.start()
    }
}
