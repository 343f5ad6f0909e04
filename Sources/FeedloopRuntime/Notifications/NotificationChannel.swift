/// How a notification leaves the system; the raw value is stored in `notifications.channel`
/// (the delivery half of the notifier sends each row over its channel).
public enum NotificationChannel: String, CaseIterable, Hashable, Sendable {
    /// To an email address, plain text and HTML.
    case email
    /// A signed JSON POST to a person's or a department's URL (a chat bot, a ticket system).
    case webhook
    /// A text message to a phone number through the SMS gateway.
    case sms
    /// Written to the notifier's log without personal data: development, and the fallback for a
    /// recipient without any address the route allows.
    case log
}
