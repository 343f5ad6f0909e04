import FeedloopCore
import Foundation

/// Masks personal data in a message body before it is shown: values of fields that hold it
/// (name, phone, email, address, customer reference, recipient, keys) by their kind, and
/// email addresses and phone numbers written into any other text (feedback often quotes them).
enum MaskedJSON {
    /// How a personal field's value is masked.
    enum FieldKind: Sendable {
        case name, phone, email, secret

        func mask(_ value: String) -> String {
            switch self {
            case .name: PersonalDataMask.name(value)
            case .phone: PersonalDataMask.phone(value)
            case .email: PersonalDataMask.email(value)
            case .secret: String(repeating: "*", count: value.count)
            }
        }
    }

    /// Field names (snake_case or camelCase, compared lowercased without `_`) that hold personal data.
    static let personalFields: [String: FieldKind] = [
        "name": .name, "customername": .name, "contactname": .name, "address": .name, "customerref": .name, "recipient": .name,
        "phone": .phone, "mobile": .phone, "customerphone": .phone, "email": .email, "customeremail": .email,
        "apikey": .secret, "key": .secret, "password": .secret, "token": .secret,
    ]

    /// The body pretty-printed with personal data masked; a body that is not JSON is shown as
    /// masked text, one that is not text as its size.
    static func render(_ body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: mask(object), options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        {
            return String(decoding: data, as: UTF8.self)
        }
        guard let text = String(bytes: body, encoding: .utf8) else { return "<\(body.count) bytes, not text>" }
        return maskText(text)
    }

    /// The body as a masked JSON value, for `--json` output (a non-JSON body becomes a string).
    static func value(_ body: [UInt8]) -> Any {
        if let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) { return mask(object) }
        guard let text = String(bytes: body, encoding: .utf8) else { return "<\(body.count) bytes, not text>" }
        return maskText(text)
    }

    static func mask(_ value: Any, field: String? = nil) -> Any {
        switch value {
        case let dictionary as [String: Any]:
            return dictionary.reduce(into: [String: Any]()) { result, entry in result[entry.key] = mask(entry.value, field: entry.key) }
        case let array as [Any]:
            return array.map { mask($0, field: field) }
        case let string as String:
            if let field, let kind = personalFields[field.lowercased().replacingOccurrences(of: "_", with: "")] { return kind.mask(string) }
            return maskText(string)
        default:
            return value
        }
    }

    private static let emailPattern = try! NSRegularExpression(pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
    /// Seven or more digits, optionally led by `+` and split by spaces or dashes.
    private static let phonePattern = try! NSRegularExpression(pattern: "\\+?\\d[\\d -]{5,}\\d")

    /// Emails and phone numbers inside free text, masked in place.
    static func maskText(_ text: String) -> String {
        var result = replace(emailPattern, in: text) { PersonalDataMask.email($0) }
        result = replace(phonePattern, in: result) { match in
            let digits = match.filter(\.isNumber)
            guard digits.count >= 7 else { return match }
            return PersonalDataMask.phone((match.hasPrefix("+") ? "+" : "") + digits)
        }
        return result
    }

    private static func replace(_ pattern: NSRegularExpression, in text: String, with transform: (String) -> String) -> String {
        let ns = text as NSString
        var result = ""
        var last = 0
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            result += transform(ns.substring(with: match.range))
            last = match.range.location + match.range.length
        }
        return result + ns.substring(from: last)
    }
}
