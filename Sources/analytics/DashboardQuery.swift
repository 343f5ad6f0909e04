import FeedloopCore
import FeedloopHTTP
import FeedloopRuntime
import Foundation
import Hummingbird

/// What the dashboard shows: period, filter and language, from the page's query.
///
/// The period comes from `period` (`2026-W47`, `2026-11`, `2026-11-23`, `FROM..TO`; the
/// previous/next links use it), else from the form's `kind` (`day`, `week`, `month`, `range`)
/// with `date` (the day the period contains) or `from` and `to`; default the current ISO week.
/// The filter fields are those of the report API. The language is `lang` (`zh`, `en`), else
/// the first of them in `Accept-Language`, else Chinese.
struct DashboardQuery: Sendable {
    var period: ReportPeriod
    var filter: ReportFilter
    var language: ReportDocument.Language
    /// Whether `lang` was given; links then keep it.
    var languageGiven: Bool

    /// The query's parameter that was refused, with the reason.
    struct Invalid: Error {
        var field: String
        var reason: String
    }

    static func parse(_ query: Parameters, acceptLanguage: String?, timeZone: TimeZone, today: Date = Date()) throws(Invalid) -> DashboardQuery {
        func given(_ name: String) -> String? {
            guard let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let explicit = given("lang")
        var language = ReportDocument.Language.zh
        if let explicit {
            guard let chosen = ReportDocument.Language(code: explicit) else { throw Invalid(field: "lang", reason: "must be zh or en") }
            language = chosen
        } else if let header = acceptLanguage, let preferred = ReportDocument.Language(acceptLanguage: header) {
            language = preferred
        }

        let text: String
        let field: String
        if let period = given("period") {
            (text, field) = (period, "period")
        } else if let kind = given("kind") {
            let anchor = given("date") ?? LocalDate(today, in: timeZone).description
            switch kind {
            case "day": (text, field) = (anchor, "date")
            case "week", "month":
                guard let day = LocalDate(anchor) else { throw Invalid(field: "date", reason: "must be a date YYYY-MM-DD") }
                text = kind == "week" ? ISOWeek(containing: day).description : String(format: "%04d-%02d", day.year, day.month)
                field = "date"
            case "range":
                guard let from = given("from"), let to = given("to") else { throw Invalid(field: "from", reason: "a custom range needs from and to") }
                (text, field) = ("\(from)..\(to)", "from")
            default: throw Invalid(field: "kind", reason: "must be day, week, month or range")
            }
        } else {
            (text, field) = (ISOWeek(containing: LocalDate(today, in: timeZone)).description, "period")
        }
        let period: ReportPeriod
        do {
            period = try ReportPeriod.parse(text, timeZone: timeZone)
        } catch let error as ReportPeriodError {
            throw Invalid(field: field, reason: error.reason)
        } catch {
            throw Invalid(field: field, reason: "\(error)")
        }
        do {
            let filter = try ReportFilter.parse(
                department: given("department"), channel: given("channel"), category: given("category"), level: given("level"), tier: given("tier"))
            return DashboardQuery(period: period, filter: filter, language: language, languageGiven: explicit != nil)
        } catch let error as ReportFilterError {
            throw Invalid(field: error.field, reason: error.reason)
        } catch {
            throw Invalid(field: "filter", reason: "\(error)")
        }
    }

    /// The period after `period`: the next day, week or month, or the same number of days.
    static func next(_ period: ReportPeriod) -> ReportPeriod {
        let start = period.end.adding(days: 1)
        let end = period.kind == .month ? start.adding(days: start.monthLength - 1) : start.adding(days: period.dayCount - 1)
        return ReportPeriod(kind: period.kind, start: start, end: end, timeZone: period.timeZone)
    }

    /// The query string (with `?`) of this view with `period` replaced, `lang` set if given
    /// and the filter kept, for links.
    func link(period: ReportPeriod? = nil, language: ReportDocument.Language? = nil, path: String = "/") -> String {
        var items = [("period", (period ?? self.period).label)]
        if let language { items.append(("lang", language.rawValue)) } else if self.languageGiven { items.append(("lang", self.language.rawValue)) }
        if let d = filter.department { items.append(("department", d)) }
        if let c = filter.channel { items.append(("channel", c.rawValue)) }
        if let c = filter.category { items.append(("category", c.rawValue)) }
        if let l = filter.level { items.append(("level", String(l.rawValue))) }
        if let t = filter.tier { items.append(("tier", t.rawValue)) }
        return path + "?" + items.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
    }

    /// Percent-encoding for a query component: everything but unreserved characters.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
