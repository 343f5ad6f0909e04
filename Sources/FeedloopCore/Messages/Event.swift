import Foundation

/// Routing keys on the `feedloop.events` exchange; also the AMQP `type` property.
public enum EventType: String, Codable, CaseIterable, Sendable {
    case feedbackReceived = "feedback.received"
    case ticketClassified = "ticket.classified"
    case ticketEscalated = "ticket.escalated"
    case notificationSent = "notification.sent"
    case surveyAnswered = "survey.answered"
    /// A running SLA clock used its warning share (default 80 %) of the target.
    case ticketSLAWarning = "ticket.sla_warning"
    /// Staff actions on a ticket (``TicketActed``), one routing key each so that a consumer
    /// binds only the ones it needs.
    case ticketAssigned = "ticket.assigned"
    case ticketResponded = "ticket.responded"
    case ticketPlanRecorded = "ticket.plan_recorded"
    case ticketWaitingCustomer = "ticket.waiting_customer"
    case ticketCustomerReplied = "ticket.customer_replied"
    case ticketResolved = "ticket.resolved"
    case ticketReopened = "ticket.reopened"
    case ticketClosed = "ticket.closed"
}

/// A typed event payload. Its ``messageID`` is derived from what happened (type, ticket and,
/// where one ticket can have several, a discriminator), so a republished or redelivered event
/// carries the same id and every consumer's inbox recognises it.
public protocol EventPayload: Codable, Sendable {
    /// The type of every instance, or for a payload shared by several types the first of them.
    static var type: EventType { get }
    /// The types this payload is decoded from (one, except for shared payloads).
    static var types: [EventType] { get }
    /// This instance's type; differs from ``type`` only for shared payloads.
    var eventType: EventType { get }
    /// Bumped when a field changes meaning or a required field is added.
    static var schemaVersion: Int { get }
    var ticketId: Int64 { get }
    /// Extra parts of the message id after type and ticket (empty for once-per-ticket events).
    var messageDiscriminator: [String] { get }
}

extension EventPayload {
    public static var types: [EventType] { [Self.type] }
    public var eventType: EventType { Self.type }
    public var messageDiscriminator: [String] { [] }
    public var messageID: String {
        ([eventType.rawValue, String(ticketId)] + messageDiscriminator).joined(separator: "/")
    }
}

/// What travels on the bus: the payload with its type, version, id and time. The same fields
/// are also set as AMQP properties so that a dead letter is readable on its own.
public struct Envelope<Payload: EventPayload>: Codable, Sendable {
    public var schemaVersion: Int
    public var messageId: String
    public var type: EventType
    public var ticketId: Int64
    public var occurredAt: Date
    public var data: Payload

    public init(_ data: Payload, occurredAt: Date) {
        self.schemaVersion = Payload.schemaVersion
        self.messageId = data.messageID
        self.type = data.eventType
        self.ticketId = data.ticketId
        self.occurredAt = occurredAt
        self.data = data
    }
}

/// The envelope fields without the payload: enough to route, deduplicate and dead-letter
/// a message whose payload has not been decoded (or cannot be).
public struct EnvelopeHeader: Codable, Sendable {
    public var schemaVersion: Int
    public var messageId: String
    public var type: EventType
    public var ticketId: Int64
    public var occurredAt: Date
}

/// Why a message body was refused.
public struct MessageDecodingError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Envelope {
    /// Decodes and checks type and schema version; the error reason is fit for a dead letter.
    public static func decode(_ body: [UInt8]) throws -> Envelope<Payload> {
        let header: EnvelopeHeader
        do {
            header = try FeedloopJSON.decoder().decode(EnvelopeHeader.self, from: Data(body))
        } catch {
            throw MessageDecodingError("malformed envelope: \(error)")
        }
        guard Payload.types.contains(header.type) else {
            let expected = Payload.types.map(\.rawValue).joined(separator: " or ")
            throw MessageDecodingError("expected \(expected), got \(header.type.rawValue)")
        }
        guard header.schemaVersion <= Payload.schemaVersion else {
            throw MessageDecodingError("schema version \(header.schemaVersion) of \(header.type.rawValue) is newer than \(Payload.schemaVersion)")
        }
        do {
            return try FeedloopJSON.decoder().decode(Envelope<Payload>.self, from: Data(body))
        } catch {
            throw MessageDecodingError("malformed \(header.type.rawValue) payload: \(error)")
        }
    }

    public func encoded() throws -> [UInt8] {
        Array(try FeedloopJSON.encoder().encode(self))
    }
}
