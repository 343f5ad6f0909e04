import Foundation

/// What `GET /v1/tickets/{id}` shows of a ticket: its lifecycle and classification, and of
/// the customer only the tier. The feedback text and the customer reference stay out, since
/// either may carry personal data.
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
}

/// The answer to a submission: the ticket it became (or already was) and where it stands.
struct SubmissionReceipt: Codable, Sendable {
    var ticketId: Int64
    var state: String
}
