import FeedloopRuntime

/// One message `requeue` rebuilt (or could not rebuild) for a stuck ticket, and what became of it.
struct RequeueItem: Encodable {
    enum Status: String, Encodable {
        /// Built, not sent (a dry run, or before publishing).
        case planned
        /// Confirmed by the broker.
        case published
        /// Could not be rebuilt or sent; see ``error``.
        case failed
        /// No message can move this step (a late escalation); see ``error``.
        case skipped
    }

    var ticketId: Int64
    var state: String
    var ageSeconds: Double
    var waitingFor: WaitingStep
    var queue: String
    var event: String
    var messageId: String?
    var status: Status
    var error: String?
    /// What will be published; not part of the printed result (it carries customer text).
    var message: OutgoingMessage?

    enum CodingKeys: String, CodingKey {
        case ticketId, state, ageSeconds, waitingFor, queue, event, messageId, status, error
    }
}
