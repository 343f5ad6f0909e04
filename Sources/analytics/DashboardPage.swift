import FeedloopCore
import FeedloopRuntime

/// The dashboard's HTML: the report's tiles, charts and tables (the same markup as the HTML
/// report document) under the period and filter controls. Plain HTML forms and links, no
/// script; the page reloads itself every ``refreshSeconds``.
enum DashboardPage {
    static let refreshSeconds = 60

    /// The page for `report`; `departments` fill the department filter's choices.
    static func render(_ report: Report, query: DashboardQuery, departments: [String], today: LocalDate) -> String {
        let labels = ReportDocument.Labels(language: query.language)
        let title = labels[.dashboardTitle]
        var out = head(title: title + " · " + report.period.label, language: query.language, refresh: true)
        out += "<body><main><header class=\"bar\"><h1>" + esc(title) + "</h1>"
        out += "<nav class=\"noprint links\" aria-label=\"" + esc(labels[.language]) + "\">"
        out += link(query.link(language: .zh), "中文", current: query.language == .zh, lang: "zh-CN") + " · "
        out += link(query.link(language: .en), "English", current: query.language == .en, lang: "en")
        out += "<span class=\"sep\">|</span>" + esc(labels[.download]) + ": "
        out += link(query.link(path: "/report.html"), "HTML") + " · " + link(query.link(path: "/report.md"), "Markdown") + " · "
        out += link(query.link(path: "/report.csv"), "CSV") + "</nav></header>"
        out += controls(report, query: query, departments: departments, labels: labels, today: today)
        out += "<dl class=\"facts\">"
        for (name, value) in ReportDocument.headerFacts(report, labels) {
            out += "<dt>" + esc(name) + "</dt><dd>" + esc(value) + "</dd>"
        }
        out += "</dl>"
        out += ReportDocument.htmlTiles(report, labels)
        out += ReportDocument.htmlSections(report, labels)
        out += "<footer class=\"noprint\">" + esc(labels[.refreshNote]) + "</footer></main></body></html>\n"
        return out
    }

    /// Period navigation (previous / this / next), the period form and the filter form, all
    /// GET to `/`, so every view has a URL that can be bookmarked and shared.
    static func controls(_ report: Report, query: DashboardQuery, departments: [String], labels: ReportDocument.Labels, today: LocalDate) -> String {
        let period = report.period
        var out = "<form class=\"controls noprint\" method=\"get\" action=\"/\">"
        out += "<div class=\"period-nav\">"
        out += "<a rel=\"prev\" class=\"button\" href=\"" + esc(query.link(period: period.previous)) + "\">◀ " + esc(labels[.controlPrevious])
        out += " <small>" + esc(period.previous.label) + "</small></a>"
        out +=
            "<strong class=\"current\">" + esc(period.label) + (period.start == period.end ? "" : " <small>\(period.start) – \(period.end)</small>")
            + "</strong>"
        let next = DashboardQuery.next(period)
        if next.start <= today {
            out += "<a rel=\"next\" class=\"button\" href=\"" + esc(query.link(period: next)) + "\">" + esc(labels[.controlNext])
            out += " <small>" + esc(next.label) + "</small> ▶</a>"
        }
        out += "</div><div class=\"fields\">"
        out += "<label>" + esc(labels[.controlPeriod]) + " <select name=\"kind\">"
        for (kind, text) in [
            (ReportPeriod.Kind.day, labels[.controlDay]), (.week, labels[.controlWeek]), (.month, labels[.controlMonth]), (.range, labels[.controlRange]),
        ] {
            out += option(kind.rawValue, text, selected: period.kind == kind)
        }
        out += "</select></label>"
        out += "<label>" + esc(labels[.controlDate]) + " <input type=\"date\" name=\"date\" value=\"\(period.start)\"></label>"
        out += "<label>" + esc(labels[.controlFrom]) + " <input type=\"date\" name=\"from\" value=\"\(period.start)\"></label>"
        out += "<label>" + esc(labels[.controlTo]) + " <input type=\"date\" name=\"to\" value=\"\(period.end)\"></label>"
        out += "</div><div class=\"fields\">"
        let filter = query.filter
        out += select("department", labels.dimension(.department), departments.map { ($0, labels.department($0)) }, selected: filter.department, labels)
        out += select(
            "channel", labels.dimension(.channel), Channel.allCases.map { ($0.rawValue, labels.channel($0)) }, selected: filter.channel?.rawValue, labels)
        out += select(
            "category", labels.dimension(.category), Category.allCases.map { ($0.rawValue, labels.category($0)) }, selected: filter.category?.rawValue, labels)
        out += select(
            "level", labels.dimension(.level), Level.allCases.map { (String($0.rawValue), labels.level($0)) },
            selected: filter.level.map { String($0.rawValue) },
            labels)
        out += select("tier", labels.dimension(.tier), CustomerTier.allCases.map { ($0.rawValue, labels.tier($0)) }, selected: filter.tier?.rawValue, labels)
        if query.languageGiven { out += "<input type=\"hidden\" name=\"lang\" value=\"\(query.language.rawValue)\">" }
        out += "<button type=\"submit\">" + esc(labels[.controlApply]) + "</button>"
        var cleared = query
        cleared.filter = ReportFilter()
        out += link(cleared.link(), labels[.controlReset])
        out += "</div></form>"
        return out
    }

    /// A page with only a heading, a text and optionally the key form: sign-in and errors.
    static func message(title: String, text: String, language: ReportDocument.Language, keyForm: Bool, hiddenLanguage: Bool) -> String {
        let labels = ReportDocument.Labels(language: language)
        var out = head(title: title, language: language, refresh: false)
        out += "<body><main class=\"narrow\"><h1>" + esc(title) + "</h1><p>" + esc(text) + "</p>"
        if keyForm {
            // POST keeps the key out of the address bar, the history and access logs.
            out += "<form method=\"post\" action=\"/\" class=\"signin\"><label>" + esc(labels[.signInKey])
            out += " <input type=\"password\" name=\"key\" autocomplete=\"off\" required size=\"48\"></label>"
            if hiddenLanguage { out += "<input type=\"hidden\" name=\"lang\" value=\"\(language.rawValue)\">" }
            out += "<button type=\"submit\">" + esc(labels[.signInButton]) + "</button></form>"
        }
        return out + "</main></body></html>\n"
    }

    static func head(title: String, language: ReportDocument.Language, refresh: Bool) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"\(language.htmlCode)\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        if refresh { out += "<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">" }
        out += "<meta name=\"referrer\" content=\"no-referrer\"><title>" + esc(title) + "</title>"
        return out + "<style>" + ReportDocument.htmlStyle + style + "</style></head>"
    }

    /// The dashboard's own styles, on top of the report document's.
    static let style = """
        header.bar{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:8px}
        .links a{color:#0072B2}.links a.current{font-weight:bold;color:#222;text-decoration:none}.sep{margin:0 10px;color:#aaa}
        form.controls{background:#fff;border:1px solid #e2e4e8;border-radius:6px;padding:10px 12px;margin:10px 0;display:flex;flex-direction:column;gap:8px}
        .period-nav{display:flex;align-items:center;gap:12px;flex-wrap:wrap}.period-nav .current{font-size:17px}
        .fields{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center}
        label{font-size:13px;color:#444}select,input,button{font:inherit;font-size:13px;padding:2px 4px}
        a.button{display:inline-block;padding:3px 10px;border:1px solid #c8ccd2;border-radius:4px;color:#222;text-decoration:none;background:#f7f8fa}
        button{padding:3px 12px;background:#0072B2;color:#fff;border:0;border-radius:4px;cursor:pointer}
        footer{margin-top:24px;color:#777;font-size:12px}main.narrow{max-width:640px}form.signin{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
        """

    static func esc(_ text: String) -> String { SVGText.escape(text) }

    static func link(_ href: String, _ text: String, current: Bool = false, lang: String? = nil) -> String {
        "<a href=\"" + esc(href) + "\"" + (current ? " class=\"current\" aria-current=\"true\"" : "") + (lang.map { " lang=\"\($0)\"" } ?? "") + ">"
            + esc(text) + "</a>"
    }

    static func option(_ value: String, _ text: String, selected: Bool) -> String {
        "<option value=\"" + esc(value) + "\"" + (selected ? " selected" : "") + ">" + esc(text) + "</option>"
    }

    static func select(_ name: String, _ title: String, _ choices: [(String, String)], selected: String?, _ labels: ReportDocument.Labels) -> String {
        var out = "<label>" + esc(title) + " <select name=\"\(name)\">" + option("", labels[.all], selected: selected == nil)
        for (value, text) in choices { out += option(value, text, selected: value == selected) }
        return out + "</select></label>"
    }
}
