import FeedloopCore
import FeedloopRuntime
import Foundation
import Testing

/// The report documents: Markdown, CSV and HTML from a hand-made report, in both languages,
/// with hostile text escaped and empty periods handled.
struct ReportDocumentTests {
    static let en = ReportDocument.Labels(language: .en)
    static let zh = ReportDocument.Labels(language: .zh)

    @Test func figuresAreWrittenForPeople() {
        let l = Self.en
        #expect(ReportDocument.format(1_234_567, .count, l) == "1,234,567")
        #expect(ReportDocument.format(0.8456, .share, l) == "84.6%")
        #expect(ReportDocument.format(1_800, .duration, l) == "30 min")
        #expect(ReportDocument.format(86_400, .duration, l) == "24.0 h")
        #expect(ReportDocument.format(259_200, .duration, Self.zh) == "3.0 天")
        #expect(ReportDocument.format(32, .nps, l) == "+32.0")
        #expect(ReportDocument.format(-0.04, .nps, l) == "0.0")
        #expect(ReportDocument.format(nil, .score, l) == "—")
        #expect(ReportDocument.change(Figure(count: 125, previous: 100), .count, l) == "▲ 25 (+25.0%)")
        #expect(ReportDocument.change(Figure(count: 7, previous: 10), .count, l) == "▼ 3 (−30.0%)")
        #expect(ReportDocument.change(Figure(count: 5, previous: 0), .count, l) == "▲ 5")
        #expect(ReportDocument.change(Figure(0.85, previous: 0.9), .share, l) == "▼ 5.0 pp")
        #expect(ReportDocument.change(Figure(0.85, previous: 0.9), .share, Self.zh) == "▼ 5.0 个百分点")
        #expect(ReportDocument.change(Figure(0.9, previous: 0.9), .share, l) == "= no change")
        #expect(ReportDocument.change(Figure(nil, previous: 0.9), .share, l) == "—")
    }

    @Test func changesAreColouredByWhetherTheyAreGoodNews() {
        #expect(ReportDocument.tone(Figure(count: 7, previous: 10), .lowerIsBetter) == .good)
        #expect(ReportDocument.tone(Figure(count: 12, previous: 10), .lowerIsBetter) == .bad)
        #expect(ReportDocument.tone(Figure(0.85, previous: 0.9), .higherIsBetter) == .bad)
        #expect(ReportDocument.tone(Figure(count: 125, previous: 100), .neutral) == .neutral)
        #expect(ReportDocument.tone(Figure(count: 5, previous: 5), .higherIsBetter) == .neutral)
    }

    @Test func languageComesFromTheParameterOrAcceptLanguage() {
        #expect(ReportDocument.Language(code: "zh-CN") == .zh)
        #expect(ReportDocument.Language(code: "EN") == .en)
        #expect(ReportDocument.Language(code: "fr") == nil)
        #expect(ReportDocument.Language(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .zh)
        #expect(ReportDocument.Language(acceptLanguage: "en-US,en;q=0.9,zh-CN;q=0.8") == .en)
        #expect(ReportDocument.Language(acceptLanguage: "fr-FR, en;q=0.5, zh;q=0.7") == .zh)
        #expect(ReportDocument.Language(acceptLanguage: "fr-FR,de;q=0.5") == nil)
        #expect(ReportDocument.Language(acceptLanguage: "zh;q=0, en;q=0.1") == .en)
    }

    @Test func everyTextHasBothLanguages() {
        for text in ReportDocument.Text.allCases {
            #expect(!Self.zh[text].isEmpty && !Self.en[text].isEmpty, "\(text)")
        }
        // The Chinese table is Chinese: most texts hold a CJK character.
        let chinese = ReportDocument.Text.allCases.filter { Self.zh[$0].unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
        #expect(chinese.count > ReportDocument.Text.allCases.count * 9 / 10)
    }

    @Test func markdownHasEveryTableWithEscapedCells() throws {
        let md = ReportDocument.markdown(try ReportDocumentSample.report(), labels: Self.en)
        #expect(md.hasPrefix("# Customer feedback report 2026-W47\n"))
        #expect(md.contains("- **Period**: 2026-W47 (2026-11-16 – 2026-11-22), Asia/Shanghai\n"))
        #expect(md.contains("- **Compared with**: 2026-W46 (2026-11-09 – 2026-11-15)\n"))
        #expect(md.contains("| New tickets | 125 | 100 | ▲ 25 (+25.0%) |\n"))
        #expect(md.contains("| Overdue | 7 | 10 | ▼ 3 (−30.0%) |\n"))
        #expect(md.contains("| Rectification completion | 85.0% | 90.0% | ▼ 5.0 pp |\n"))
        #expect(md.contains("| First response | 110 · ▲ 20 (+22.2%) | 30 min · ▼ 10 min | 2.5 h · ▲ 30 min |\n"))
        #expect(md.contains("| Ops \\| &lt;Night> | 65 · ▲ 15 (+30.0%) |"))
        #expect(md.contains("#1042 快递五天没到，电话138\\*\\*\\*\\*1234; #1077 =HYPERLINK(\"x\") &lt;b>late&lt;/b> |"))
        #expect(md.contains("| Logistics | Late delivery | 30 · ▲ 10 (+50.0%) |"))
        for heading in [
            "## Overview", "## SLA compliance", "### Warnings", "## Breakdowns", "### Department", "## Top recurring problems", "## Satisfaction",
            "## Day by day",
        ] {
            #expect(md.contains("\n\(heading)\n"), "\(heading)")
        }
        // Every row of every table has as many cells as its header (unescaped pipes only).
        let tables = md.components(separatedBy: "\n\n").filter { $0.hasPrefix("|") }
        #expect(tables.count >= 14)
        for table in tables {
            let counts = Set(table.split(separator: "\n").map { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count })
            #expect(counts.count == 1, "\(table)")
        }
    }

    @Test func chineseDocumentsNameEverythingInChinese() throws {
        let md = ReportDocument.markdown(try ReportDocumentSample.report(filter: ReportFilter(department: "rd", channel: .hotline)), labels: Self.zh)
        #expect(md.hasPrefix("# 客户反馈报告 2026-W47\n"))
        for text in ["| 新增工单 | 125 | 100 | ▲ 25 (+25.0%) |", "送达延迟", "物流类", "响应速度", "研发部", "热线", "首次响应", "答题过快", "▼ 最低", "- **筛选**: 部门 研发部 · 渠道 热线"] {
            #expect(md.contains(text), "\(text)")
        }
    }

    @Test func emptyReportsSaySo() throws {
        let report = try ReportDocumentSample.empty()
        let md = ReportDocument.markdown(report, labels: Self.en)
        #expect(md.contains("_No data in this period_"))
        #expect(md.contains("| Rectification completion | — | — | — |"))
        let html = ReportDocument.html(report, labels: Self.zh)
        #expect(html.contains("本期无数据"))
        #expect(!html.contains("NaN"))
        let csv = ReportDocument.csv(report)
        #expect(csv.contains("rectification_rate,,,\r\n"))
    }

    @Test func csvHasOneTablePerSectionWithRawValues() throws {
        let csv = ReportDocument.csv(try ReportDocumentSample.report(), labels: Self.zh)
        let blocks = csv.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        var tables: [String: [[String]]] = [:]
        for block in blocks {
            let records = try CSVParser.parse(block).map(\.fields)
            let name = try #require(records.first?.first)
            #expect(records[0].count == 1, "\(name)")
            let header = try #require(records.dropFirst().first)
            for record in records.dropFirst(2) { #expect(record.count == header.count, "\(name): \(record)") }
            tables[name] = Array(records.dropFirst())
        }
        #expect(
            tables["report"]?[1] == ["2026-W47", "2026-11-16", "2026-11-22", "Asia/Shanghai", "2026-W46", "", "", "", "", "", "2026-11-23 09:40 Asia/Shanghai"])
        #expect(tables["overview"]?[0] == ["figure", "value", "previous", "change"])
        #expect(tables["overview"]?.contains(["received", "125", "100", "25"]) == true)
        let rate = try #require(tables["overview"]?.first { $0.first == "rectification_rate" })
        #expect(rate.prefix(3) == ["rectification_rate", "0.85", "0.9"] && abs(Double(rate[3])! + 0.05) < 1e-9)
        #expect(
            tables["sla_compliance"]?[0] == [
                "metric", "level", "met", "met_previous", "met_change", "breached", "breached_previous", "breached_change", "compliance", "compliance_previous",
                "compliance_change",
            ])
        #expect(tables["sla_compliance"]?[1].prefix(2) == ["first_response", "all"])
        #expect(tables["times"]?[1] == ["first_response", "110", "90", "20", "1800", "2400", "-600", "9000", "7200", "1800"])
        #expect(tables["breakdown_department"]?[2].first == "Ops | <Night>")
        // Text a spreadsheet would run as a formula is defused.
        #expect(tables["top_problems"]?[1].last?.contains("#1077: =HYPERLINK") == true)
        #expect(tables["top_problems"]?[1].last?.hasPrefix("#1042: ") == true)
        #expect(tables["top_keywords"]?[2].first == "'-refund|now")
        #expect(tables["satisfaction_dimensions"]?.filter { $0.last == "true" }.count == 3)
        #expect(tables["daily"]?.count == 8)
        #expect(
            Set(tables.keys).isSuperset(of: [
                "warnings", "escalation_steps", "breakdown_category", "breakdown_channel", "incidents", "invalid_answers", "reliability",
            ]))
    }

    @Test func htmlIsSelfContainedWithChartsAndMarkedChanges() throws {
        let html = ReportDocument.html(try ReportDocumentSample.report(), labels: Self.zh)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("@import") && !html.contains("url("))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
        for chart in ["line", "donut", "stacked-bar", "bar", "gauge", "sparkline"] {
            #expect(html.contains("data-chart=\"\(chart)\""), "\(chart)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 == 9 + 4)
        #expect(html.contains("&lt;b&gt;late&lt;/b&gt;") && !html.contains("<b>late</b>"))
        #expect(html.contains("Ops | &lt;Night&gt;"))
        #expect(html.components(separatedBy: "<tr class=\"highlight\">").count - 1 == 3)
        #expect(html.components(separatedBy: "data-highlight=\"true\"").count - 1 == 3)
        // Overdue went down (good news), rectification down (bad news), new tickets neither.
        #expect(
            html.contains(
                "<div class=\"tile\" data-figure=\"overdue\"><div class=\"tile-label\">已超时</div><div class=\"tile-value\">7</div><div class=\"chg good\""))
        #expect(
            html.contains("data-figure=\"rectification_rate\"><div class=\"tile-label\">整改完成率</div><div class=\"tile-value\">85.0%</div><div class=\"chg bad\"")
        )
        #expect(html.contains("data-figure=\"received\"><div class=\"tile-label\">新增工单</div><div class=\"tile-value\">125</div><div class=\"chg neutral\""))
        // Every SVG in the page is well-formed XML on its own.
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let xml = SVGChartXML(String(rest[start.lowerBound..<end.upperBound]))
            #expect(xml.wellFormed, "\(xml.error ?? "")")
            rest = rest[end.upperBound...]
        }
    }

    @Test func sameReportSameBytes() throws {
        let report = try ReportDocumentSample.report()
        #expect(ReportDocument.html(report, labels: Self.en) == ReportDocument.html(report, labels: Self.en))
        #expect(ReportDocument.csv(report) == ReportDocument.csv(report))
    }
}
