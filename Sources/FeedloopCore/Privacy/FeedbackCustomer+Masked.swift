extension FeedbackCustomer {
    /// The customer as it may be displayed or logged: name, phone and email masked with
    /// ``PersonalDataMask``; reference, tier and locale as they are.
    public var masked: FeedbackCustomer {
        FeedbackCustomer(
            ref: self.ref, tier: self.tier, name: self.name.map(PersonalDataMask.name), phone: self.phone.map(PersonalDataMask.phone),
            email: self.email.map(PersonalDataMask.email), locale: self.locale
        )
    }
}
