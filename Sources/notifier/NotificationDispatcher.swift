import Foundation
import Postgres

/// What the event handler holds to get new notification rows delivered: it asks the delivery
/// thread (``DeliveryLoop``) to claim due rows now. Delivery runs there, on its own database
/// and broker connections, so a slow mail server never holds up event handling, and retries
/// come back through the broker's TTL'd queues rather than through this call.
final class NotificationDispatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// Asks for a delivery pass; returns at once. Safe from any thread.
    func wake() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Called by the handler after each committed batch (and on its tick): the same as
    /// ``wake()``. The connection is not used; the delivery thread claims the rows, which the
    /// handler's committed transaction made visible to it.
    func deliverDue(db: PostgresConnection) throws {
        wake()
    }

    /// True once after one or more ``wake()`` calls.
    func takeWake() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let was = raised
        raised = false
        return was
    }
}
