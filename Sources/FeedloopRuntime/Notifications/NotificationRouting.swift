import FeedloopCore
import Foundation

/// What the notifier sends to whom (`config/notifications.yaml`, `FEEDLOOP_NOTIFICATIONS`):
/// the routes per event and audience, the template locales, and the time zone dates are
/// shown in.
public struct NotificationRouting: Hashable, Sendable {
    /// Template locales; every route has a template for each.
    public var locales: [String]
    /// For a recipient whose locale is unknown or not among ``locales``.
    public var defaultLocale: String
    /// Dates in messages are shown in this zone.
    public var timeZone: TimeZone
    /// Absolute, or relative to the routing file's directory when loaded from a file.
    public var templatesDirectory: String
    /// The questionnaire a resolved ticket's rating link opens.
    public var surveyId: String
    public var routes: [NotificationRoute]

    public init(
        locales: [String], defaultLocale: String, timeZone: TimeZone, templatesDirectory: String, surveyId: String, routes: [NotificationRoute]
    ) {
        self.locales = locales
        self.defaultLocale = defaultLocale
        self.timeZone = timeZone
        self.templatesDirectory = templatesDirectory
        self.surveyId = surveyId
        self.routes = routes
    }

    /// The events the notifier's queue receives: the only ones a route may name.
    public static let routableEvents = WorkerRole.notifier.subscriptions

    public func routes(for event: EventType) -> [NotificationRoute] {
        routes.filter { $0.event == event }
    }

    /// The template locale for a recipient's `requested` locale: the configured locale equal
    /// to it (ignoring case and `_` for `-`), else the first with the same language
    /// (`zh_CN`, `zh-Hans` and `zh` → `zh-CN`; `en-GB` → `en`), else ``defaultLocale``.
    public func locale(for requested: String?) -> String {
        guard let requested, !requested.isEmpty else { return defaultLocale }
        let wanted = Self.normalized(requested)
        if let exact = locales.first(where: { Self.normalized($0) == wanted }) { return exact }
        let language = wanted.split(separator: "-").first.map(String.init) ?? wanted
        if let sameLanguage = locales.first(where: { Self.normalized($0).split(separator: "-").first.map(String.init) == language }) {
            return sameLanguage
        }
        return defaultLocale
    }

    static func normalized(_ locale: String) -> String {
        locale.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
    }
}
