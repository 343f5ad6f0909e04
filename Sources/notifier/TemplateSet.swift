import FeedloopCore
import FeedloopRuntime
import Foundation
import Mustache

/// Every template the routing needs, parsed and checked at start.
///
/// Layout: `<templates>/<route template>/<audience>.<locale>.mustache` holds the subject on its
/// first line (`subject: …`) and the plain-text body after it; an optional
/// `<audience>.<locale>.html.mustache` beside it is the HTML body of an email. Text parts are
/// not HTML-escaped; the HTML part is.
///
/// Each template is rendered against ``TemplateSamples`` with ``TemplateVariables``: a name
/// the message does not have is an error naming the file and the name, found now rather than
/// sent as a blank.
struct TemplateSet: Sendable {
    struct Key: Hashable, Sendable {
        var template: String
        var audience: NotificationAudience
        var locale: String
    }

    struct Parts: Sendable {
        var file: String
        var subject: MustacheTemplate
        var text: MustacheTemplate
        var html: MustacheTemplate?
    }

    /// What a rendered message consists of.
    struct Rendered: Sendable, Equatable {
        var subject: String
        var text: String
        var html: String?
    }

    let templates: [Key: Parts]

    /// Loads and checks the templates of every route in every locale; throws
    /// ``TemplateSetError`` listing every problem.
    static func load(routing: NotificationRouting) throws -> TemplateSet {
        var problems: [String] = []
        var templates: [Key: Parts] = [:]
        for route in routing.routes {
            for locale in routing.locales {
                let key = Key(template: route.template, audience: route.audience, locale: locale)
                if templates[key] != nil { continue }
                let base = URL(fileURLWithPath: routing.templatesDirectory).appendingPathComponent(route.template)
                    .appendingPathComponent("\(route.audience.rawValue).\(locale)")
                do {
                    let parts = try Self.parts(base: base.path)
                    problems += Self.check(parts, event: route.event, audience: route.audience, locale: locale, timeZone: routing.timeZone)
                    templates[key] = parts
                } catch let problem as TemplateSetError {
                    problems += problem.problems
                }
            }
        }
        guard problems.isEmpty else { throw TemplateSetError(problems: problems) }
        return TemplateSet(templates: templates)
    }

    static func parts(base: String) throws -> Parts {
        let file = base + ".mustache"
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw TemplateSetError(problems: ["\(file): missing or unreadable (every route needs a template for each locale)"])
        }
        var lines = source.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = lines.first, first.lowercased().hasPrefix("subject:") else {
            throw TemplateSetError(problems: ["\(file):1: the first line must be `subject: …`"])
        }
        let subjectText = first.dropFirst("subject:".count).trimmingCharacters(in: .whitespaces)
        lines.removeFirst()
        var body = lines.first.map(String.init) ?? ""
        while body.hasPrefix("\n") { body.removeFirst() }
        let textPragma = "{{% CONTENT_TYPE: TEXT}}"
        let subject = try compile(textPragma + subjectText, file: file, part: "subject")
        let text = try compile(textPragma + body, file: file, part: "body")
        let htmlFile = base + ".html.mustache"
        var html: MustacheTemplate?
        if FileManager.default.fileExists(atPath: htmlFile) {
            guard let source = try? String(contentsOfFile: htmlFile, encoding: .utf8) else {
                throw TemplateSetError(problems: ["\(htmlFile): unreadable as UTF-8"])
            }
            html = try compile(source, file: htmlFile, part: "HTML body")
        }
        return Parts(file: file, subject: subject, text: text, html: html)
    }

    static func compile(_ source: String, file: String, part: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch {
            throw TemplateSetError(problems: ["\(file): the \(part) is not a valid Mustache template: \(error)"])
        }
    }

    /// Renders the parts against both samples; returns a problem per unknown name.
    static func check(_ parts: Parts, event: EventType, audience: NotificationAudience, locale: String, timeZone: TimeZone) -> [String] {
        let format = MessageFormatter(locale: locale, timeZone: timeZone)
        var missing: [(file: String, name: String)] = []
        var known = Set<String>()
        for (subject, full) in TemplateSamples.subjects(event) {
            let values = TemplateContext.variables(
                subject, ticket: TemplateSamples.ticket(full: full), audience: audience, recipient: TemplateSamples.recipient(full: full), format: format)
            known.formUnion(values.keys)
            let misses = TemplateVariables.Misses()
            let root = TemplateVariables(values, misses: misses)
            _ = parts.subject.render(root)
            _ = parts.text.render(root)
            for name in misses.names where !missing.contains(where: { $0.name == name && $0.file == parts.file }) {
                missing.append((parts.file, name))
            }
            if let html = parts.html {
                let htmlMisses = TemplateVariables.Misses()
                _ = html.render(TemplateVariables(values, misses: htmlMisses))
                let htmlFile = String(parts.file.dropLast(".mustache".count)) + ".html.mustache"
                for name in htmlMisses.names where !missing.contains(where: { $0.name == name && $0.file == htmlFile }) {
                    missing.append((htmlFile, name))
                }
            }
        }
        let available = known.sorted().joined(separator: ", ")
        return missing.map {
            "\($0.file): unknown variable {{\($0.name)}}: a \(event.rawValue) message to \(audience.rawValue) has \(available)"
        }
    }

    /// Renders the route's template for `locale`; nil only if it was not loaded (a route
    /// added after start, which cannot happen).
    func render(template: String, audience: NotificationAudience, locale: String, variables: [String: Any]) -> Rendered? {
        guard let parts = templates[Key(template: template, audience: audience, locale: locale)] else { return nil }
        return Rendered(
            subject: parts.subject.render(variables).trimmingCharacters(in: .whitespacesAndNewlines),
            text: parts.text.render(variables), html: parts.html?.render(variables))
    }
}

/// The templates are incomplete or refer to names their messages do not have.
struct TemplateSetError: Error, CustomStringConvertible {
    var problems: [String]
    var description: String { "notification templates refused:\n" + problems.joined(separator: "\n") }
}
