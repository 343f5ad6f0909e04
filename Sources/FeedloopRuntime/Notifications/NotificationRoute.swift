import FeedloopCore

/// One line of the routing table: for `event`, notify `audience` over `channels`, with the
/// templates in `<templates>/<template>/<audience>.<locale>.mustache`.
public struct NotificationRoute: Hashable, Sendable {
    public var event: EventType
    public var audience: NotificationAudience
    /// In order of preference.
    public var channels: [NotificationChannel]
    /// Send on every channel the recipient has an address for, not only the first.
    public var sendToAll: Bool
    /// The templates' directory name: the event type unless configured.
    public var template: String

    public init(event: EventType, audience: NotificationAudience, channels: [NotificationChannel], sendToAll: Bool = false, template: String? = nil) {
        self.event = event
        self.audience = audience
        self.channels = channels
        self.sendToAll = sendToAll
        self.template = template ?? event.rawValue
    }
}
