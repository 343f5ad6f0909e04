/// Masks personal data for display and logs: enough stays visible for a person who already
/// knows the customer to recognise them (`138****1234`, `张*`, `z****@example.com`), too little
/// for anyone else to contact or identify them.
///
/// Every function is total: odd input is masked too, never echoed.
public enum PersonalDataMask {
    /// The mask character.
    static let star: Character = "*"

    /// A phone number with the first three and last four digits kept: `13812341234` →
    /// `138****1234`; a leading `+` stays. Numbers of fewer than eight digits keep only their
    /// last two digits.
    public static func phone(_ phone: String) -> String {
        let plus = phone.hasPrefix("+")
        let digits = Array(plus ? phone.dropFirst() : Substring(phone))
        let masked: String
        if digits.count >= 8 {
            let middle = String(repeating: Self.star, count: digits.count - 7)
            masked = String(digits.prefix(3)) + middle + String(digits.suffix(4))
        } else {
            let kept = digits.count > 2 ? 2 : 0
            masked = String(repeating: Self.star, count: digits.count - kept) + String(digits.suffix(kept))
        }
        return (plus ? "+" : "") + masked
    }

    /// A name with the first character of each word kept: `张三` → `张*`, `欧阳娜娜` → `欧***`,
    /// `John Smith` → `J*** S****`. A one-character word is masked whole.
    public static func name(_ name: String) -> String {
        name.split(separator: " ", omittingEmptySubsequences: true).map { word in
            guard word.count > 1, let first = word.first else { return String(repeating: Self.star, count: word.count) }
            return String(first) + String(repeating: Self.star, count: word.count - 1)
        }.joined(separator: " ")
    }

    /// An email address with the first character of the local part and the whole domain kept:
    /// `zhang@example.com` → `z****@example.com`. Without an `@` the value is masked as a name.
    public static func email(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), at != email.startIndex else {
            return String(repeating: Self.star, count: email.count)
        }
        let local = email[..<at]
        let domain = email[at...]
        return String(local.first!) + String(repeating: Self.star, count: local.count - 1) + domain
    }
}
