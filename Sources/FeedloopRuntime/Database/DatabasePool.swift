import Foundation
import Logging
import Postgres

/// A few database connections for async code (HTTP handlers). Each connection lives on its own
/// serial queue, so blocking libpq calls never run on Swift's cooperative threads; callers wait
/// for a free connection in turn.
public final class DatabasePool: @unchecked Sendable {
    final class Slot: @unchecked Sendable {
        let queue: DispatchQueue
        var connection: PostgresConnection?
        init(index: Int) { queue = DispatchQueue(label: "feedloop.db.\(index)") }
    }

    let url: String
    let logger: Logger
    private let lock = NSLock()
    private var idle: [Slot]
    private var waiters: [CheckedContinuation<Slot, Never>] = []

    public init(url: String, size: Int, logger: Logger) {
        self.url = url
        self.logger = logger
        self.idle = (0..<size).map(Slot.init(index:))
    }

    /// Runs `body` with a connection of its own, off the cooperative pool. A connection found
    /// broken is reopened first.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let slot = await acquire()
        defer { release(slot) }
        let url = self.url
        let logger = self.logger
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(
                    with: Result {
                        if slot.connection?.isOpen != true {
                            slot.connection?.close()
                            slot.connection = try PostgresConnection(url: url, logger: logger)
                        }
                        return try body(slot.connection!)
                    }
                )
            }
        }
    }

    private func acquire() async -> Slot {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let slot = idle.popLast() {
                lock.unlock()
                continuation.resume(returning: slot)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    private func release(_ slot: Slot) {
        lock.lock()
        if waiters.isEmpty {
            idle.append(slot)
            lock.unlock()
        } else {
            let next = waiters.removeFirst()
            lock.unlock()
            next.resume(returning: slot)
        }
    }

    /// Closes every idle connection (at shutdown).
    public func close() {
        lock.lock()
        let slots = idle
        lock.unlock()
        for slot in slots {
            slot.queue.sync {
                slot.connection?.close()
                slot.connection = nil
            }
        }
    }
}
