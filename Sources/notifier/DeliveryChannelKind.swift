/// How a notification leaves the system; the raw value is stored in `notifications.channel`
/// when the row is written, so a row keeps its channel even if the configuration changes.
enum DeliveryChannelKind: String, Sendable {
    /// Logged without personal data and marked sent: the channel when no webhook is configured.
    case log
    /// POSTed as JSON to `FEEDLOOP_WEBHOOK_URL`.
    case webhook
}
