import Foundation

/// Writes the feedback.received envelope byte for byte as ``Envelope/encoded()`` does (sorted
/// snake_case keys, millisecond UTC timestamps), without `JSONEncoder`: a bulk import
/// encodes tens of thousands per second, where the generic encoder would be the bottleneck.
/// A unit test holds the two outputs equal.
public enum ImportEventEncoder {
    /// The envelope JSON of `event`, occurred at `occurredAt` (both dates at millisecond precision).
    public static func feedbackReceived(_ event: FeedbackReceived, occurredAt: Date, into out: inout [UInt8]) {
        let id = String(event.ticketId)
        out.append(contentsOf: #"{"data":{"channel":"#.utf8)
        appendJSONString(event.channel.rawValue, to: &out)
        if let tier = event.customerTier {
            out.append(contentsOf: #","customer_tier":"#.utf8)
            appendJSONString(tier.rawValue, to: &out)
        }
        if let external = event.externalId {
            out.append(contentsOf: #","external_id":"#.utf8)
            appendJSONString(external, to: &out)
        }
        out.append(contentsOf: #","received_at":""#.utf8)
        appendTimestamp(event.receivedAt, to: &out)
        out.append(contentsOf: #"","text":"#.utf8)
        appendJSONString(event.text, to: &out)
        out.append(contentsOf: #","ticket_id":"#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #"},"message_id":"feedback.received\/"#.utf8.filter { $0 != 92 })
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #"","occurred_at":""#.utf8)
        appendTimestamp(occurredAt, to: &out)
        out.append(contentsOf: #"","schema_version":"#.utf8)
        out.append(contentsOf: String(FeedbackReceived.schemaVersion).utf8)
        out.append(contentsOf: #","ticket_id":"#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #","type":"feedback.received"}"#.utf8)
    }

    /// A JSON string literal: quotes and backslashes escaped, control characters as `\n`-style
    /// or `\u00XX` escapes, everything else (including `/` and non-ASCII) as is.
    public static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        for byte in s.utf8 {
            switch byte {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 8: out.append(contentsOf: [92, 98])
            case 12: out.append(contentsOf: [92, 102])
            case 0..<32:
                out.append(contentsOf: [92, 117, 48, 48])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(34)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `2026-11-23T08:15:00.123Z`, the format of ``FeedloopJSON/formatTimestamp(_:)``, at the
    /// nearest millisecond (Foundation truncates the Double's digits, so a value such as .123
    /// that binary cannot hold exactly may print there as .122; here it prints as .123).
    public static func appendTimestamp(_ date: Date, to out: inout [UInt8]) {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(48 + v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        out.append(45)
        digits(month, 2)
        out.append(45)
        digits(day, 2)
        out.append(84)
        digits(msOfDay / 3_600_000, 2)
        out.append(58)
        digits(msOfDay / 60_000 % 60, 2)
        out.append(58)
        digits(msOfDay / 1000 % 60, 2)
        out.append(46)
        digits(msOfDay % 1000, 3)
        out.append(90)
    }
}
