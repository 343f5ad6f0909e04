import FeedloopCore
import Foundation

/// What `GET /v1/tickets/{id}` shows of a ticket: its lifecycle and classification, and its
/// customer record with name, phone and email masked. The feedback text stays out, since it
/// may carry personal data.
struct TicketView: Codable, Sendable {
    var id: Int64
    var channel: String
    var externalId: String?
    var customerTier: String?
    var state: String
    var category: String?
    var subcategory: String?
    var sentiment: String?
    var level: Int64?
    var levelRule: String?
    var department: String?
    var keywords: [String]
    var receivedAt: Date
    var createdAt: Date
    var classifiedAt: Date?
    var stateChangedAt: Date
    /// The customer record, masked (``FeedbackCustomer/masked``); absent when the item named
    /// no customer.
    var customer: FeedbackCustomer?
}

/// The answer to a submission: the ticket it became (or already was) and where it stands.
struct SubmissionReceipt: Codable, Sendable {
    var ticketId: Int64
    var state: String
}

/// One item's outcome in the answer to `POST /v1/feedback:batch`, in the order sent.
struct BatchItemReceipt: Codable, Sendable {
    var index: Int
    var ticketId: Int64
    var state: String
    /// `created`, or `duplicate` when the item resent one stored before.
    var status: String
}

/// The answer to `POST /v1/feedback:batch`.
struct BatchReceipt: Codable, Sendable {
    var created: Int
    var duplicates: Int
    var items: [BatchItemReceipt]
}
