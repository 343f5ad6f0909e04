import FeedloopCore
import FeedloopRuntime
import Foundation

/// Builds the producer's outgoing events like `OutgoingMessage.event(_:at:)`, but with
/// timestamps that carry their zone (`2026-11-23T08:15:00.123Z`).
///
/// Workaround: `FeedloopJSON.formatTimestamp` currently prints no zone designator
/// (`2026-11-23T08:15:00.123`), which `FeedloopJSON.parseTimestamp` then refuses, so every
/// consumer dead-letters such an envelope as unreadable. Once the shared formatter writes `Z`,
/// this file can go and callers use `OutgoingMessage.event` again.
enum EventEncoding {
    /// The event, routed by its type on `feedloop.events`; `encoder` comes from ``encoder()``.
    static func event<P: EventPayload>(_ payload: P, at date: Date, encoder: JSONEncoder = encoder()) throws -> OutgoingMessage {
        OutgoingMessage(
            messageId: payload.messageID, exchange: Topology.eventsExchange, routingKey: P.type.rawValue,
            type: P.type.rawValue, ticketId: payload.ticketId,
            body: Array(try encoder.encode(Envelope(payload, occurredAt: date))), timestamp: date
        )
    }

    /// ``FeedloopJSON/encoder()`` with zoned timestamps; reuse it across a batch.
    static func encoder() -> JSONEncoder {
        let encoder = FeedloopJSON.encoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Self.timestamp(date))
        }
        return encoder
    }

    /// ISO 8601 in UTC with milliseconds and `Z`, which `FeedloopJSON.parseTimestamp` accepts.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
