/// The names the customer's fields go by in each input format: `customer.phone` in JSON,
/// `customer_phone` in CSV.
struct CustomerFieldNames {
    var ref: String
    var tier: String
    var name: String
    var phone: String
    var email: String
    var locale: String

    static let json = CustomerFieldNames(
        ref: "customer.ref", tier: "customer.tier", name: "customer.name", phone: "customer.phone", email: "customer.email",
        locale: "customer.locale"
    )
    static let csv = CustomerFieldNames(
        ref: "customer_ref", tier: "customer_tier", name: "customer_name", phone: "customer_phone", email: "customer_email",
        locale: "customer_locale"
    )
}

/// Checks of the customer's contact fields. Reasons never repeat the value: these fields are
/// personal data, and error bodies end up in channel integrations' logs.
enum CustomerFieldCheck {
    /// Longest accepted name, in characters.
    static let maxNameLength = 100
    /// Digits a phone number may have (E.164 allows 15; extensions and local formats a few more).
    static let phoneDigits = 5...20
    /// Longest accepted email address (RFC 5321 path limit).
    static let maxEmailLength = 254

    /// Problems with the contact fields of an already trimmed customer, in field order.
    static func problems(of customer: FeedbackCustomer, fields: CustomerFieldNames) -> [FieldError] {
        var errors: [FieldError] = []
        if customer.ref == nil, customer.name != nil || customer.phone != nil || customer.email != nil || customer.locale != nil {
            // The customer record is keyed by the reference; contact details without one would
            // have nowhere to go.
            errors.append(FieldError(field: fields.ref, reason: "is required when name, phone, email or locale is given"))
        }
        if let name = customer.name {
            if name.count > Self.maxNameLength {
                errors.append(FieldError(field: fields.name, reason: "must be at most \(Self.maxNameLength) characters, got \(name.count)"))
            }
            if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                errors.append(FieldError(field: fields.name, reason: "must not contain control characters"))
            }
        }
        if let phone = customer.phone, !Self.isPhone(phone) {
            errors.append(
                FieldError(
                    field: fields.phone,
                    reason: "must be \(Self.phoneDigits.lowerBound) to \(Self.phoneDigits.upperBound) digits with an optional leading +, such as +8613812341234"
                ))
        }
        if let email = customer.email, !Self.isEmail(email) {
            errors.append(FieldError(field: fields.email, reason: "must be an email address such as name@example.com"))
        }
        if let locale = customer.locale, Self.normalizedLocale(locale) != locale {
            errors.append(FieldError(field: fields.locale, reason: "must be a language tag such as zh-CN, zh-Hans-CN or en"))
        }
        return errors
    }

    /// Digits only, with an optional leading `+`.
    static func isPhone(_ phone: String) -> Bool {
        let digits = phone.hasPrefix("+") ? phone.dropFirst() : Substring(phone)
        return Self.phoneDigits.contains(digits.count) && digits.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The shape of an address: one `@`, a local part of printable ASCII without spaces, and a
    /// domain of at least two dot-separated labels of letters, digits and hyphens.
    static func isEmail(_ email: String) -> Bool {
        guard email.utf8.count <= Self.maxEmailLength else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let localOK = parts[0].unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"()<>[]:;,\\\"".unicodeScalars.contains($0) }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let domainOK =
            labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
            }
        return localOK && domainOK
    }

    /// A language tag in its usual case (`zh-CN`, `zh-Hans-CN`, `en`), accepting `_` for `-`
    /// and any letter case; nil when it is not language[-Script][-REGION].
    static func normalizedLocale(_ tag: String) -> String? {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: "_", omittingEmptySubsequences: false)
        }
        guard (1...3).contains(parts.count) else { return nil }
        func letters(_ s: Substring, _ counts: ClosedRange<Int>) -> Bool {
            counts.contains(s.count) && s.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
        }
        guard letters(parts[0], 2...3) else { return nil }
        var result = [parts[0].lowercased()]
        var rest = parts.dropFirst()
        if let script = rest.first, letters(script, 4...4) {
            result.append(script.prefix(1).uppercased() + script.dropFirst().lowercased())
            rest = rest.dropFirst()
        }
        if let region = rest.first {
            let isDigits = region.count == 3 && region.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            guard letters(region, 2...2) || isDigits else { return nil }
            result.append(region.uppercased())
            rest = rest.dropFirst()
        }
        return rest.isEmpty ? result.joined(separator: "-") : nil
    }
}
