import Foundation

/// One feedback item as a channel submits it, before it becomes a ticket.
///
/// Untrusted input goes through ``parse(json:)`` or ``parse(csvHeader:row:line:)``, which
/// collect every problem at once into a ``FeedbackValidationError``. The `Codable` conformance
/// is for re-encoding trusted values (snake_case through ``FeedloopJSON``).
public struct FeedbackSubmission: Hashable, Codable, Sendable {
    /// Longest accepted text, in characters, after trimming.
    public static let maxTextLength = 10_000
    /// Longest accepted external id or customer ref, in characters.
    public static let maxReferenceLength = 200
    /// The CSV columns an import understands; `channel` and `text` are required.
    public static let csvColumns = [
        "channel", "external_id", "text", "customer_ref", "customer_tier", "customer_name", "customer_phone", "customer_email",
        "customer_locale", "received_at",
    ]
    /// The members of the JSON `customer` object.
    public static let customerFields = ["ref", "tier", "name", "phone", "email", "locale"]

    /// Where the feedback came from.
    public var channel: Channel
    /// The channel's own id, so a resent item does not become a second ticket.
    public var externalId: String?
    /// The feedback itself, trimmed.
    public var text: String
    /// Who sent it, if known.
    public var customer: FeedbackCustomer?
    /// When the channel received it; the producer uses its own clock when absent.
    public var receivedAt: Date?

    /// Creates a submission; call ``validate()`` before trusting it.
    public init(channel: Channel, externalId: String? = nil, text: String, customer: FeedbackCustomer? = nil, receivedAt: Date? = nil) {
        self.channel = channel
        self.externalId = externalId
        self.text = text
        self.customer = customer
        self.receivedAt = receivedAt
    }

    /// Problems with the values as they are, in field order; empty when valid.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if let id = self.externalId {
            Self.checkReference(id, field: "external_id", into: &errors)
        }
        Self.checkText(self.text, into: &errors)
        if let customer = self.customer {
            if let ref = customer.ref {
                Self.checkReference(ref, field: "customer.ref", into: &errors)
            }
            errors += CustomerFieldCheck.problems(of: customer, fields: .json)
        }
        return errors
    }

    // MARK: JSON

    /// Decodes and validates a JSON object; throws ``FeedbackValidationError`` listing every problem.
    ///
    /// Unknown fields are refused so that a misspelt `external_id` cannot silently disable
    /// deduplication; empty optional strings count as absent.
    public static func parse(json: [UInt8]) throws -> FeedbackSubmission {
        let object = try Self.jsonValue(json)
        guard let dict = object as? [String: Any] else {
            throw FeedbackValidationError(errors: [FieldError(field: "body", reason: "must be a JSON object")])
        }
        return try Self.parse(object: dict)
    }

    /// The JSON value of a UTF-8 body, or a `body` error saying why there is none.
    static func jsonValue(_ json: [UInt8]) throws -> Any {
        guard String(validating: json, as: UTF8.self) != nil else {
            throw FeedbackValidationError(errors: [FieldError(field: "body", reason: "is not valid UTF-8")])
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            let reason = "is not valid JSON" + (detail.map { " (\($0))" } ?? "")
            throw FeedbackValidationError(errors: [FieldError(field: "body", reason: reason)])
        }
    }

    /// Validates one decoded JSON object (a request body or an item of a batch).
    static func parse(object dict: [String: Any]) throws -> FeedbackSubmission {
        var errors: [FieldError] = []
        let known: Set<String> = ["channel", "external_id", "text", "customer", "received_at"]
        for key in dict.keys.sorted() where !known.contains(key) {
            errors.append(FieldError(field: Self.quotedField(key), reason: "is not a known field"))
        }
        let channelRaw = Self.string(dict, "channel", field: "channel", required: true, into: &errors)
        let externalRaw = Self.string(dict, "external_id", field: "external_id", required: false, into: &errors)
        let textRaw = Self.string(dict, "text", field: "text", required: true, into: &errors)
        var customer = RawCustomer()
        if let value = dict["customer"], !(value is NSNull) {
            if let c = value as? [String: Any] {
                for key in c.keys.sorted() where !Self.customerFields.contains(key) {
                    errors.append(FieldError(field: "customer." + Self.quotedField(key), reason: "is not a known field"))
                }
                customer.ref = Self.string(c, "ref", field: "customer.ref", required: false, into: &errors)
                customer.tier = Self.string(c, "tier", field: "customer.tier", required: false, into: &errors)
                customer.name = Self.string(c, "name", field: "customer.name", required: false, into: &errors)
                customer.phone = Self.string(c, "phone", field: "customer.phone", required: false, into: &errors)
                customer.email = Self.string(c, "email", field: "customer.email", required: false, into: &errors)
                customer.locale = Self.string(c, "locale", field: "customer.locale", required: false, into: &errors)
            } else {
                errors.append(FieldError(field: "customer", reason: "must be an object with ref, tier, name, phone, email and locale"))
            }
        }
        let receivedRaw = Self.string(dict, "received_at", field: "received_at", required: false, into: &errors)

        return try Self.build(
            channel: channelRaw, externalId: externalRaw, text: textRaw, customer: customer,
            receivedAt: receivedRaw, fields: .json, typeErrors: errors, line: nil
        )
    }

    // MARK: CSV

    /// Problems with an import file's header: missing required columns, repeated columns.
    /// Columns the import does not know are ignored, as exports often carry extra ones.
    public static func validateCSVHeader(_ header: [String]) -> [FieldError] {
        let names = header.map(Self.columnName)
        var errors: [FieldError] = []
        for required in ["channel", "text"] where !names.contains(required) {
            errors.append(FieldError(field: "header", reason: "is missing the column \(required)"))
        }
        var seen = Set<String>()
        for name in names where Self.csvColumns.contains(name) && !seen.insert(name).inserted {
            errors.append(FieldError(field: "header", reason: "has the column \(name) more than once"))
        }
        return errors
    }

    /// Maps one CSV record to a submission with the same checks as JSON; `line` is reported in the error.
    public static func parse(csvHeader: [String], row: [String], line: Int? = nil) throws -> FeedbackSubmission {
        let headerErrors = Self.validateCSVHeader(csvHeader)
        guard headerErrors.isEmpty else {
            throw FeedbackValidationError(errors: headerErrors, line: line)
        }
        guard row.count == csvHeader.count else {
            throw FeedbackValidationError(
                errors: [FieldError(field: "row", reason: "has \(row.count) fields but the header has \(csvHeader.count)")],
                line: line
            )
        }
        let names = csvHeader.map(Self.columnName)
        func column(_ name: String) -> String? {
            names.firstIndex(of: name).map { row[$0] }
        }
        let customer = RawCustomer(
            ref: column("customer_ref"), tier: column("customer_tier"), name: column("customer_name"), phone: column("customer_phone"),
            email: column("customer_email"), locale: column("customer_locale")
        )
        return try Self.build(
            channel: column("channel"), externalId: column("external_id"), text: column("text"), customer: customer,
            receivedAt: column("received_at"), fields: .csv, typeErrors: [], line: line
        )
    }

    // MARK: Shared checks

    /// The customer's members as sent, before trimming and checks.
    private struct RawCustomer {
        var ref: String?
        var tier: String?
        var name: String?
        var phone: String?
        var email: String?
        var locale: String?
    }

    /// Normalizes raw strings, checks every field and builds the value or throws all problems.
    private static func build(
        channel channelRaw: String?, externalId externalRaw: String?, text textRaw: String?, customer raw: RawCustomer,
        receivedAt receivedRaw: String?, fields: CustomerFieldNames, typeErrors: [FieldError], line: Int?
    ) throws -> FeedbackSubmission {
        var errors = typeErrors
        let failed = Set(typeErrors.map(\.field))

        var channel: Channel?
        let channelValue = Self.trimmed(channelRaw)
        if let value = channelValue {
            channel = Channel(rawValue: value.lowercased())
            if channel == nil {
                let expected = Channel.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(field: "channel", reason: "unknown channel \(Self.quoted(value)); expected one of \(expected)"))
            }
        } else if !failed.contains("channel") {
            errors.append(FieldError(field: "channel", reason: "is required"))
        }

        let externalId = Self.trimmed(externalRaw)
        if let id = externalId {
            Self.checkReference(id, field: "external_id", into: &errors)
        }

        let text = textRaw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let t = text {
            Self.checkText(t, into: &errors)
        } else if !failed.contains("text") {
            errors.append(FieldError(field: "text", reason: "is required"))
        }

        let ref = Self.trimmed(raw.ref)
        if let r = ref {
            Self.checkReference(r, field: fields.ref, into: &errors)
        }
        var tier: CustomerTier?
        if let value = Self.trimmed(raw.tier) {
            tier = CustomerTier(rawValue: value.lowercased())
            if tier == nil {
                let expected = CustomerTier.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(field: fields.tier, reason: "unknown tier \(Self.quoted(value)); expected one of \(expected)"))
            }
        }
        let locale = Self.trimmed(raw.locale).map { CustomerFieldCheck.normalizedLocale($0) ?? $0 }
        let customer = FeedbackCustomer(
            ref: ref, tier: tier, name: Self.trimmed(raw.name), phone: Self.trimmed(raw.phone), email: Self.trimmed(raw.email), locale: locale
        )
        errors += CustomerFieldCheck.problems(of: customer, fields: fields)

        var receivedAt: Date?
        if let value = Self.trimmed(receivedRaw) {
            receivedAt = FeedloopJSON.parseTimestamp(value)
            if receivedAt == nil {
                errors.append(FieldError(field: "received_at", reason: "must be an ISO 8601 timestamp such as 2026-11-23T08:15:00Z"))
            }
        }

        guard errors.isEmpty, let channel, let text else {
            throw FeedbackValidationError(errors: Self.ordered(errors), line: line)
        }
        return FeedbackSubmission(
            channel: channel, externalId: externalId, text: text, customer: customer == FeedbackCustomer() ? nil : customer,
            receivedAt: receivedAt
        )
    }

    private static func checkText(_ text: String, into errors: inout [FieldError]) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.append(FieldError(field: "text", reason: "must not be empty"))
        } else if trimmed.count > Self.maxTextLength {
            errors.append(FieldError(field: "text", reason: "must be at most \(Self.maxTextLength) characters, got \(trimmed.count)"))
        }
        // PostgreSQL text cannot hold NUL, so refuse it here with a reason instead of failing there.
        if text.unicodeScalars.contains("\0") {
            errors.append(FieldError(field: "text", reason: "must not contain NUL characters"))
        }
    }

    static func checkReference(_ value: String, field: String, into errors: inout [FieldError]) {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(FieldError(field: field, reason: "must not be blank when present"))
        } else if value.count > Self.maxReferenceLength {
            errors.append(FieldError(field: field, reason: "must be at most \(Self.maxReferenceLength) characters, got \(value.count)"))
        }
        if value.unicodeScalars.contains("\0") {
            errors.append(FieldError(field: field, reason: "must not contain NUL characters"))
        }
    }

    /// Reads an optional string member; records a type error and returns nil on anything else.
    private static func string(
        _ dict: [String: Any], _ key: String, field: String, required: Bool, into errors: inout [FieldError]
    ) -> String? {
        guard let value = dict[key], !(value is NSNull) else {
            return nil
        }
        guard let s = value as? String else {
            errors.append(FieldError(field: field, reason: "must be a string, got \(Self.jsonTypeName(value))"))
            return nil
        }
        return s
    }

    private static func jsonTypeName(_ value: Any) -> String {
        switch value {
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        // JSONSerialization hands booleans back as NSNumber of objCType "c".
        case let n as NSNumber where String(cString: n.objCType) == "c": return "a boolean"
        case is NSNumber: return "a number"
        default: return "another type"
        }
    }

    /// Empty and whitespace-only values count as absent, as an empty CSV cell does.
    private static func trimmed(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    private static func columnName(_ header: String) -> String {
        var s = header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        return s
    }

    /// Echoes a short, printable prefix of a refused value; never a whole customer text.
    static func quoted(_ value: String) -> String {
        let clipped = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return "\"" + clipped.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined() + "\""
    }

    private static func quotedField(_ key: String) -> String {
        key.count > 40 ? String(key.prefix(40)) + "…" : key
    }

    private static let fieldOrder = [
        "body", "channel", "external_id", "text", "customer", "customer.ref", "customer_ref", "customer.tier", "customer_tier",
        "customer.name", "customer_name", "customer.phone", "customer_phone", "customer.email", "customer_email", "customer.locale",
        "customer_locale", "received_at",
    ]

    /// Known fields in declaration order, unknown ones after them.
    private static func ordered(_ errors: [FieldError]) -> [FieldError] {
        errors.enumerated().sorted { a, b in
            let ra = Self.fieldOrder.firstIndex(of: a.element.field) ?? Self.fieldOrder.count
            let rb = Self.fieldOrder.firstIndex(of: b.element.field) ?? Self.fieldOrder.count
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
}
