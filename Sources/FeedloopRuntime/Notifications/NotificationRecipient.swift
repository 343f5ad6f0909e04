/// One resolved recipient of a notification, with every address it can be reached at.
/// Addresses are personal data: they go into `notifications.address` and nowhere else
/// (`description` leaves them out).
public struct NotificationRecipient: Hashable, Sendable, CustomStringConvertible {
    /// Stable and free of personal data, stored in `notifications.recipient` and part of the
    /// dedupe key: `customer:<ref>`, a staff person's id, or `department:<id>`.
    public var id: String
    /// How the message addresses them (a customer's own name only in their own messages).
    public var name: String?
    /// A locale as configured or as the customer record holds it; ``NotificationRouting`` maps
    /// it onto a template locale.
    public var locale: String?
    public var addresses: [NotificationChannel: String]

    public init(id: String, name: String?, locale: String?, addresses: [NotificationChannel: String]) {
        self.id = id
        self.name = name
        self.locale = locale
        self.addresses = addresses.filter { !$0.value.isEmpty }
    }

    public var description: String { "recipient \(id)" }

    /// The channels to send on, in `preference` order: the first one this recipient has an
    /// address for (or every one with `all`); ``NotificationChannel/log`` needs no address.
    /// Empty when none applies (the caller falls back to the log).
    public func channels(_ preference: [NotificationChannel], all: Bool) -> [NotificationChannel] {
        let usable = preference.filter { $0 == .log || addresses[$0] != nil }
        return all ? usable : Array(usable.prefix(1))
    }
}
