/// Who sent the feedback, as far as the channel knows.
public struct FeedbackCustomer: Hashable, Codable, Sendable {
    /// The channel's or CRM's reference for the customer; never a name or phone number.
    public var ref: String?
    /// The customer's tier, which can shorten SLA clocks and raise the level.
    public var tier: CustomerTier?

    /// Creates a customer reference.
    public init(ref: String? = nil, tier: CustomerTier? = nil) {
        self.ref = ref
        self.tier = tier
    }
}
