import FeedloopCore
import Foundation
import Yams

extension NotificationRouting {
    /// The variable that names the routing file.
    public static let environmentVariable = "FEEDLOOP_NOTIFICATIONS"
    /// Where the routing file is looked for when the variable is unset: the repository's and
    /// the container image's copy.
    public static let defaultPaths = ["config/notifications.yaml", "/etc/feedloop/notifications.yaml"]

    /// The routing in the YAML file at `path`, its templates directory made absolute against
    /// the file's directory. Throws ``ConfigFileError`` listing every problem.
    public static func load(path: String) throws -> NotificationRouting {
        var routing = try parse(yaml: try ConfigFileReader.read(path: path), file: path)
        if !routing.templatesDirectory.hasPrefix("/") {
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            routing.templatesDirectory = base.appendingPathComponent(routing.templatesDirectory).standardizedFileURL.path
        }
        return routing
    }

    /// Parses and checks a routing file; `file` only names it in errors.
    public static func parse(yaml: String, file: String) throws -> NotificationRouting {
        let reader = ConfigFileReader()
        let root = try ConfigFileReader.compose(yaml: yaml, file: file)
        let routing = RoutingFileParser(reader: reader).routing(root)
        try reader.check(file: file)
        guard let routing else { throw ConfigFileError(file: file, problems: [.init(line: 1, reason: "no routing")]) }
        return routing
    }
}

/// Walks a routing file's YAML tree; every problem goes to the reader with its line.
struct RoutingFileParser {
    let reader: ConfigFileReader

    func routing(_ root: Node?) -> NotificationRouting? {
        let keys = ["locales", "default_locale", "time_zone", "templates", "survey", "routes"]
        guard let root else {
            reader.fail(nil, "the file is empty; expected \(keys.joined(separator: ", "))")
            return nil
        }
        guard let f = reader.mapping(root, what: "the routing file", allowed: keys, required: keys) else { return nil }
        let locales = f["locales"].map { reader.strings($0, what: "locales") } ?? []
        if let node = f["locales"], locales.isEmpty { reader.fail(node, "locales must list at least one locale") }
        for (i, locale) in locales.enumerated() where locales[..<i].contains(locale) {
            reader.fail(f["locales"], "locale \(locale) is listed twice")
        }
        let defaultLocale = f["default_locale"].flatMap { reader.nonEmptyString($0, what: "default_locale") }
        if let defaultLocale, let node = f["default_locale"], !locales.isEmpty, !locales.contains(defaultLocale) {
            reader.fail(node, "default_locale \(defaultLocale) is not one of locales (\(locales.joined(separator: ", ")))")
        }
        var zone: TimeZone?
        if let node = f["time_zone"], let name = reader.nonEmptyString(node, what: "time_zone") {
            zone = TimeZone(identifier: name)
            if zone == nil { reader.fail(node, "time_zone \(name) is not a known time zone (e.g. Asia/Shanghai, UTC)") }
        }
        let templates = f["templates"].flatMap { reader.nonEmptyString($0, what: "templates") }
        let survey = f["survey"].flatMap { reader.nonEmptyString($0, what: "survey") }
        let routes = f["routes"].map(self.routes) ?? []
        guard let defaultLocale, let zone, let templates, let survey else { return nil }
        return NotificationRouting(
            locales: locales, defaultLocale: defaultLocale, timeZone: zone, templatesDirectory: templates, surveyId: survey, routes: routes)
    }

    func routes(_ node: Node) -> [NotificationRoute] {
        guard let pairs = reader.pairs(node, what: "routes") else { return [] }
        let events = NotificationRouting.routableEvents
        var result: [NotificationRoute] = []
        for (key, value) in pairs {
            guard let name = reader.nonEmptyString(key, what: "an event type") else { continue }
            guard let event = EventType(rawValue: name), events.contains(event) else {
                reader.fail(key, "routes: \(name) is not an event the notifier receives; expected one of \(events.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            guard let list = reader.sequence(value, what: "routes of \(name)") else { continue }
            for item in list {
                guard let route = route(item, event: event) else { continue }
                if result.contains(where: { $0.event == event && $0.audience == route.audience }) {
                    reader.fail(item, "routes of \(name): audience \(route.audience.rawValue) is listed twice")
                    continue
                }
                result.append(route)
            }
        }
        return result
    }

    func route(_ node: Node, event: EventType) -> NotificationRoute? {
        let what = "a route of \(event.rawValue)"
        guard let f = reader.mapping(node, what: what, allowed: ["audience", "channels", "send", "template"], required: ["audience", "channels"])
        else { return nil }
        var audience: NotificationAudience?
        if let n = f["audience"], let text = reader.nonEmptyString(n, what: "\(what): audience") {
            audience = NotificationAudience(rawValue: text)
            if audience == nil {
                let all = NotificationAudience.allCases.map(\.rawValue).joined(separator: ", ")
                reader.fail(n, "\(what): unknown audience \(text); expected one of \(all)")
            } else if audience == .escalation, event != .ticketEscalated {
                reader.fail(n, "\(what): audience escalation (the ladder step's person or role) exists only for ticket.escalated")
            }
        }
        var channels: [NotificationChannel] = []
        if let n = f["channels"] {
            for text in reader.strings(n, what: "\(what): channels") {
                guard let channel = NotificationChannel(rawValue: text) else {
                    let all = NotificationChannel.allCases.map(\.rawValue).joined(separator: ", ")
                    reader.fail(n, "\(what): unknown channel \(text); expected one of \(all)")
                    continue
                }
                if channels.contains(channel) { reader.fail(n, "\(what): channel \(text) is listed twice") }
                channels.append(channel)
            }
            if channels.isEmpty { reader.fail(n, "\(what): channels must list at least one channel") }
        }
        var all = false
        if let n = f["send"], let text = reader.nonEmptyString(n, what: "\(what): send") {
            switch text {
            case "first": all = false
            case "all": all = true
            default: reader.fail(n, "\(what): send must be first (the first channel with an address) or all, got \(text)")
            }
        }
        let template = f["template"].flatMap { reader.nonEmptyString($0, what: "\(what): template") }
        if let template, let n = f["template"], template.contains("/") || template.hasPrefix(".") {
            reader.fail(n, "\(what): template must be a directory name under templates, got \(template)")
        }
        guard let audience, !channels.isEmpty else { return nil }
        return NotificationRoute(event: event, audience: audience, channels: channels, sendToAll: all, template: template)
    }
}
