/// Who sent the feedback, as far as the channel knows.
///
/// `name`, `phone` and `email` are personal data: they are stored in the customer record for
/// notifications and only ever displayed or logged masked.
public struct FeedbackCustomer: Hashable, Codable, Sendable {
    /// The channel's or CRM's reference for the customer; never a name or phone number.
    public var ref: String?
    /// The customer's tier, which can shorten SLA clocks and raise the level.
    public var tier: CustomerTier?
    /// The customer's name, for greetings in notifications.
    public var name: String?
    /// A mobile number for SMS notifications.
    public var phone: String?
    /// An address for email notifications.
    public var email: String?
    /// The language notifications to this customer use, such as `zh-CN` or `en`.
    public var locale: String?

    /// Creates a customer reference.
    public init(
        ref: String? = nil, tier: CustomerTier? = nil, name: String? = nil, phone: String? = nil, email: String? = nil,
        locale: String? = nil
    ) {
        self.ref = ref
        self.tier = tier
        self.name = name
        self.phone = phone
        self.email = email
        self.locale = locale
    }
}
