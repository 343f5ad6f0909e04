import Foundation
import ServiceLifecycle

/// Runs a blocking loop on a dedicated thread as a lifecycle `Service`: blocking C clients stay
/// off Swift's cooperative pool, and graceful shutdown (SIGTERM) sets the loop's stop signal
/// and waits for it to return.
public struct ThreadService: Service {
    public let name: String
    let body: @Sendable (StopSignal) -> Void

    public init(name: String, body: @escaping @Sendable (StopSignal) -> Void) {
        self.name = name
        self.body = body
    }

    public func run() async throws {
        let stop = StopSignal()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let thread = Thread {
                        body(stop)
                        done.resume()
                    }
                    thread.name = name
                    thread.stackSize = 4 << 20
                    thread.start()
                }
            } onGracefulShutdown: {
                stop.set()
            }
        } onCancel: {
            stop.set()
        }
    }
}
