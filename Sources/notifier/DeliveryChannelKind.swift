/// How a notification leaves the system; the raw value is stored in `notifications.channel`
/// when the row is written, so a row keeps its channel even if the configuration changes.
enum DeliveryChannelKind: String, Sendable, CaseIterable {
    /// Email over SMTP (libcurl) to `address`.
    case email
    /// A signed JSON POST to `address`, or to `FEEDLOOP_WEBHOOK_URL` when the row has none.
    case webhook
    /// A text message through the HTTP gateway at `FEEDLOOP_SMS_URL`, to the phone in `address`.
    case sms
    /// Logged without personal data and marked sent: for development.
    case log
}
