import AsyncHTTPClient
import FeedloopRuntime
import Foundation
import Logging

/// The delivery half of the notifier's configuration, read and checked at start so that a
/// typo fails now, not at the first delivery.
struct DeliverySettings: Sendable {
    var webhookURL: String?
    var webhookSecret: String?
    var webhookTimeout: Duration
    var smtp: SMTPTransport.Settings?
    var smsURL: String?
    var smsTemplate: String
    var smsContentType: String
    var retry: RetryPolicy
    var ratePerMinute: Int?
    var quietHours: QuietHours?
    var sweepInterval: Duration

    static let helpText = """
          FEEDLOOP_WEBHOOK_URL          default URL for webhook rows without an address of their own
          FEEDLOOP_WEBHOOK_SECRET       signs every webhook: X-Feedloop-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">
          FEEDLOOP_WEBHOOK_TIMEOUT_MS   per webhook or SMS request, connecting included [10000]
          FEEDLOOP_SMTP_URL             smtp://host:port or smtps://host:port (the email channel; unset: email rows wait)
          FEEDLOOP_SMTP_FROM            From: address, e.g. "Feedloop <notify@example.com>" (required with FEEDLOOP_SMTP_URL)
          FEEDLOOP_SMTP_USER, FEEDLOOP_SMTP_PASSWORD   AUTH, when both are set
          FEEDLOOP_SMTP_STARTTLS        require STARTTLS before sending [false]
          FEEDLOOP_SMTP_TIMEOUT_MS      per message [30000]
          FEEDLOOP_SMTP_CONNECTIONS     SMTP connections working at once [4]
          FEEDLOOP_SMS_URL              HTTP gateway the sms channel POSTs to
          FEEDLOOP_SMS_TEMPLATE         its body; {{phone}} and {{text}} are replaced, JSON-escaped [{"to":"{{phone}}","text":"{{text}}"}]
          FEEDLOOP_SMS_CONTENT_TYPE     [application/json]
          FEEDLOOP_NOTIFY_RETRY_DELAYS  waits after the 1st, 2nd… transient failure; the last repeats [10s,1m,10m,1h]
          FEEDLOOP_NOTIFY_MAX_ATTEMPTS  attempts before a row is dead [6]
          FEEDLOOP_NOTIFY_RATE_PER_MINUTE  messages per address and channel per minute; more are held, 0 for no limit [30]
          FEEDLOOP_QUIET_HOURS          e.g. 22:00-08:00: customer messages due then are held until it ends [none]
          FEEDLOOP_QUIET_HOURS_TZ       time zone of the quiet hours [UTC]
          FEEDLOOP_NOTIFY_SWEEP_MS      how often rows whose wake was lost are looked for [30000]
        """

    init(environment: Environment) throws {
        webhookURL = try Self.httpURL(environment, "FEEDLOOP_WEBHOOK_URL")
        webhookSecret = environment.optionalString("FEEDLOOP_WEBHOOK_SECRET")
        webhookTimeout = try environment.milliseconds("FEEDLOOP_WEBHOOK_TIMEOUT_MS", default: 10_000, range: 100...300_000)
        if let url = environment.optionalString("FEEDLOOP_SMTP_URL") {
            guard let parsed = URL(string: url), ["smtp", "smtps"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw ConfigurationError(variable: "FEEDLOOP_SMTP_URL", reason: "expected smtp://host:port or smtps://host:port")
            }
            guard let from = environment.optionalString("FEEDLOOP_SMTP_FROM"), SMTPTransport.bareAddress(from).contains("@") else {
                throw ConfigurationError(variable: "FEEDLOOP_SMTP_FROM", reason: "required with FEEDLOOP_SMTP_URL: an address like notify@example.com")
            }
            let user = environment.optionalString("FEEDLOOP_SMTP_USER")
            let password = environment.optionalString("FEEDLOOP_SMTP_PASSWORD")
            if (user == nil) != (password == nil) {
                throw ConfigurationError(variable: user == nil ? "FEEDLOOP_SMTP_USER" : "FEEDLOOP_SMTP_PASSWORD", reason: "set both or neither")
            }
            smtp = SMTPTransport.Settings(
                url: url, from: from, user: user, password: password, startTLS: try environment.bool("FEEDLOOP_SMTP_STARTTLS", default: false),
                timeout: try environment.milliseconds("FEEDLOOP_SMTP_TIMEOUT_MS", default: 30_000, range: 100...600_000),
                connections: try environment.int("FEEDLOOP_SMTP_CONNECTIONS", default: 4, range: 1...64)
            )
        }
        smsURL = try Self.httpURL(environment, "FEEDLOOP_SMS_URL")
        smsTemplate = environment.string("FEEDLOOP_SMS_TEMPLATE", default: SMSTransport.defaultTemplate)
        guard smsTemplate.contains("{{phone}}"), smsTemplate.contains("{{text}}") else {
            throw ConfigurationError(variable: "FEEDLOOP_SMS_TEMPLATE", reason: "must contain {{phone}} and {{text}}")
        }
        smsContentType = environment.string("FEEDLOOP_SMS_CONTENT_TYPE", default: "application/json")
        retry = try RetryPolicy(environment: environment)
        let rate = try environment.int("FEEDLOOP_NOTIFY_RATE_PER_MINUTE", default: 30, range: 0...1_000_000)
        ratePerMinute = rate == 0 ? nil : rate
        if let window = environment.optionalString("FEEDLOOP_QUIET_HOURS") {
            let zoneName = environment.string("FEEDLOOP_QUIET_HOURS_TZ", default: "UTC")
            guard let zone = TimeZone(identifier: zoneName) else {
                throw ConfigurationError(variable: "FEEDLOOP_QUIET_HOURS_TZ", reason: "unknown time zone '\(zoneName)' (expected e.g. Asia/Shanghai)")
            }
            quietHours = try QuietHours(parsing: window, timeZone: zone)
        }
        sweepInterval = try environment.milliseconds("FEEDLOOP_NOTIFY_SWEEP_MS", default: 30_000, range: 100...3_600_000)
    }

    /// The transports, one per channel; made on the delivery thread that uses them.
    func transports(http: HTTPClient, logger: Logger) throws -> [DeliveryChannelKind: any NotificationTransport] {
        var transports: [DeliveryChannelKind: any NotificationTransport] = [
            .log: LogTransport(logger: logger),
            .webhook: WebhookTransport(client: http, defaultURL: webhookURL, secret: webhookSecret, timeout: webhookTimeout),
            .sms: SMSTransport(client: http, url: smsURL, template: smsTemplate, contentType: smsContentType, timeout: webhookTimeout),
        ]
        if let smtp { transports[.email] = try SMTPTransport(settings: smtp, logger: logger) }
        return transports
    }

    static func httpURL(_ environment: Environment, _ variable: String) throws -> String? {
        guard let raw = environment.optionalString(variable) else { return nil }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ConfigurationError(variable: variable, reason: "expected an http:// or https:// URL")
        }
        return raw
    }
}
