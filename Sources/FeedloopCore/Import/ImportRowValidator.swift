import Foundation

/// Turns one record's raw values into a submission with exactly the checks of the HTTP API
/// (``FeedbackSubmission/parse(csvHeader:row:line:)``, contact fields included). Error fields
/// are ``ImportField`` names (`customer_ref`, `text`, …) or `row`.
///
/// A bulk import validates tens of thousands of rows per second, more than the general parser's
/// Foundation trimming allows, so rows that are plainly valid (no surrounding whitespace,
/// canonical channel and tier, lengths well inside the limits, a `…Z` timestamp) take a fast
/// path; anything else, and every invalid row, goes through the general parser, so results and
/// messages are the API's. A unit test holds the two paths equal.
public enum ImportRowValidator {
    private static let columns = ImportField.allCases.map(\.rawValue)

    /// The submission, or every problem with the row. `defaultChannel` (`--channel`) fills
    /// rows whose channel is absent or blank.
    public static func validate(_ values: ImportValues, defaultChannel: Channel?) throws(FeedbackValidationError) -> FeedbackSubmission {
        if let fast = fastPath(values, defaultChannel: defaultChannel) { return fast }
        return try general(values, defaultChannel: defaultChannel)
    }

    static func general(_ values: ImportValues, defaultChannel: Channel?) throws(FeedbackValidationError) -> FeedbackSubmission {
        var row = ImportField.allCases.map { values[$0] ?? "" }
        if let fallback = defaultChannel, row[ImportField.channel.index].trimmingSpaces.isEmpty {
            row[ImportField.channel.index] = fallback.rawValue
        }
        do {
            return try FeedbackSubmission.parse(csvHeader: columns, row: row)
        } catch let error as FeedbackValidationError {
            throw error
        } catch {
            throw FeedbackValidationError(errors: [FieldError(field: "row", reason: "could not be read: \(error)")])
        }
    }

    /// The submission when the row is certainly valid and needs no normalizing; nil otherwise.
    static func fastPath(_ values: ImportValues, defaultChannel: Channel?) -> FeedbackSubmission? {
        /// nil: absent; .some(nil): cannot decide here.
        func plain(_ field: ImportField, maxBytes: Int) -> String?? {
            guard let v = values[field], !v.isEmpty else { return .some(nil) }
            let utf8 = v.utf8
            guard utf8.count <= maxBytes, !utf8.contains(0), let first = v.unicodeScalars.first, let last = v.unicodeScalars.last,
                !first.properties.isWhitespace, !last.properties.isWhitespace
            else { return nil }
            return .some(v)
        }
        guard let channelRaw = plain(.channel, maxBytes: 40), let externalId = plain(.externalId, maxBytes: FeedbackSubmission.maxReferenceLength),
            let text = plain(.text, maxBytes: FeedbackSubmission.maxTextLength), let text,
            let ref = plain(.customerRef, maxBytes: FeedbackSubmission.maxReferenceLength), let tierRaw = plain(.customerTier, maxBytes: 20),
            let name = plain(.customerName, maxBytes: 1000), let phone = plain(.customerPhone, maxBytes: 100),
            let email = plain(.customerEmail, maxBytes: 1000), let locale = plain(.customerLocale, maxBytes: 100),
            let receivedRaw = plain(.receivedAt, maxBytes: 40)
        else { return nil }
        let channel: Channel
        if let channelRaw {
            guard let c = Channel(rawValue: channelRaw) else { return nil }
            channel = c
        } else {
            guard let defaultChannel else { return nil }
            channel = defaultChannel
        }
        var tier: CustomerTier?
        if let tierRaw {
            guard let t = CustomerTier(rawValue: tierRaw) else { return nil }
            tier = t
        }
        var receivedAt: Date?
        if let receivedRaw {
            guard let d = parseUTCTimestamp(receivedRaw) else { return nil }
            receivedAt = d
        }
        let customer = FeedbackCustomer(
            ref: ref, tier: tier, name: name, phone: phone, email: email, locale: locale.map { CustomerFieldCheck.normalizedLocale($0) ?? $0 }
        )
        guard CustomerFieldCheck.problems(of: customer, fields: .csv).isEmpty else { return nil }
        return FeedbackSubmission(
            channel: channel, externalId: externalId, text: text, customer: customer == FeedbackCustomer() ? nil : customer, receivedAt: receivedAt
        )
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.fffZ` in UTC; nil for any other form
    /// (which the general parser then reads).
    static func parseUTCTimestamp(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count == 20 || b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var n: Int64 = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                n = n * 10 + Int64(b[i] - 48)
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1970...9999).contains(year), (1...12).contains(month),
            (1...28).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var millis: Int64 = 0
        if b.count == 24 {
            guard b[19] == 46, let fraction = number(20..<23) else { return nil }
            millis = fraction
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
    }
}
