import FeedloopCore
import Foundation

/// One `received` ticket of a batch with what the classifier works out about it, step by step:
/// fingerprint, then duplicate link, then classification, then incident.
struct BatchItem {
    let event: FeedbackReceived
    /// Who sent it: the customer reference, or the ticket itself for anonymous feedback, so
    /// anonymous items never count as one customer.
    let customerKey: String
    /// The customer reference as stored; nil for anonymous feedback (no duplicate check).
    let customerRef: String?
    let receivedAt: Date
    let simhash: SimHash
    /// The ticket this one repeats, when it is a duplicate.
    var duplicateOf: Int64?
    var classification: Classification?
    /// Incident keys stored with the ticket so that later tickets find it.
    var incidentKeys: [Int64] = []
    /// The incident it belongs to: a stored id, or a negative placeholder for one this batch opens.
    var incident: Int64?

    var ticketId: Int64 { self.event.ticketId }
}
