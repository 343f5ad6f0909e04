/// What one delivery attempt came to, as recorded in `notification_attempts`.
struct DeliveryOutcome: Sendable, Equatable {
    enum Kind: String, Sendable {
        /// Accepted by the other side (or logged): the row is sent.
        case delivered
        /// Worth trying again later (HTTP 5xx, 408, 429, SMTP 4xx, timeouts, refused connections).
        case transient
        /// Can never succeed as it is (HTTP 4xx, SMTP 5xx, no address): the row is dead at once.
        case permanent
    }

    var kind: Kind
    /// The HTTP status or SMTP reply code, when the other side answered.
    var code: Int?
    /// What went wrong, for the attempts table. It may quote the other side's answer, so it is
    /// stored, never logged.
    var detail: String?

    static func delivered(code: Int? = nil) -> DeliveryOutcome { DeliveryOutcome(kind: .delivered, code: code) }
    static func transient(_ detail: String, code: Int? = nil) -> DeliveryOutcome { DeliveryOutcome(kind: .transient, code: code, detail: detail) }
    static func permanent(_ detail: String, code: Int? = nil) -> DeliveryOutcome { DeliveryOutcome(kind: .permanent, code: code, detail: detail) }

    /// 2xx delivered; 5xx, 408 and 429 are worth retrying; any other answer will not change.
    static func http(status: Int) -> DeliveryOutcome {
        switch status {
        case 200..<300: .delivered(code: status)
        case 408, 429, 500..<600: .transient("HTTP \(status)", code: status)
        default: .permanent("HTTP \(status)", code: status)
        }
    }
}
