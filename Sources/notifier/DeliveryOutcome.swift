/// What one delivery attempt came to.
enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the recipient (or logged): the row is sent.
    case delivered
    /// Worth trying again later (5xx, timeout, connection refused).
    case transientFailure(String)
    /// Can never succeed as it is (4xx): the row is dead at once.
    case permanentFailure(String)
}
