import FeedloopRuntime
import Foundation
import Logging

/// A ``BatchConsumer`` running on a thread of its own for the duration of a test.
public final class BackgroundConsumer: @unchecked Sendable {
    let stop: StopSignal
    let done = DispatchSemaphore(value: 0)

    /// `makeHandler` runs on the consumer's thread (handlers are not Sendable). A test that
    /// must stop the loop at a known point passes its own `stop` and sets it from the handler.
    public init(
        role: WorkerRole, configuration: FeedloopConfiguration, stop: StopSignal = StopSignal(),
        makeHandler: @escaping @Sendable () -> MessageHandler
    ) {
        self.stop = stop
        let done = self.done
        let thread = Thread {
            BatchConsumer(role: role, configuration: configuration, handler: makeHandler(), logger: TestServers.logger, stop: stop).run()
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Asks the loop to finish its batch and waits for it.
    public func stopAndWait() {
        stop.set()
        done.wait()
    }

    /// Waits for a loop that something else stops (its handler, through the shared `stop`).
    public func waitForExit() {
        done.wait()
    }
}

extension FeedloopConfiguration {
    /// Settings for tests: the scratch database and vhost, small retry delays.
    public static func forTests(database: ScratchDatabase, vhost: ScratchVirtualHost, extra: [String: String] = [:]) throws -> FeedloopConfiguration {
        var values = [
            "FEEDLOOP_AMQP_URL": vhost.url,
            "FEEDLOOP_DATABASE_URL": database.url,
            "FEEDLOOP_RETRY_DELAY_MS": "200",
            "FEEDLOOP_MAX_ATTEMPTS": "3",
            "FEEDLOOP_HEARTBEAT_S": "10",
        ]
        values.merge(extra) { _, new in new }
        return try FeedloopConfiguration(environment: Environment(values))
    }
}
