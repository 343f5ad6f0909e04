/// A label shown to respondents and staff in both of the product's languages.
public struct LocalizedText: Hashable, Codable, Sendable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}
