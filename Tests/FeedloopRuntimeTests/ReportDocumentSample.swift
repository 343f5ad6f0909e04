import FeedloopCore
import Foundation

/// A hand-made report for the renderer tests: every section filled, with values whose
/// formatting is known (a count up 25 %, a share down 5 points, a figure without previous
/// value), hostile text in an example and a keyword, and three lowest dimensions.
enum ReportDocumentSample {
    static func figure(_ value: Double?, _ previous: Double?) -> Figure { Figure(value, previous: previous) }
    static func count(_ value: Int64, _ previous: Int64) -> Figure { Figure(count: value, previous: previous) }

    static func report(filter: ReportFilter = ReportFilter()) throws -> Report {
        let period = try ReportPeriod.parse("2026-W47", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let days = period.days.map(\.description)
        let previousDays = period.previous.days.map(\.description)
        let received: [Int64] = [30, 22, 18, 25, 15, 5, 10]
        return Report(
            period: period, filter: filter, generatedAt: Date(timeIntervalSince1970: 1_795_398_000),
            volumes: ReportVolumes(
                received: count(125, 100), classified: count(120, 98), resolved: count(90, 80), reopened: count(4, 6), closed: count(70, 70),
                escalated: count(12, 9), duplicates: count(3, 2), rejected: count(1, 0), stillOpen: count(40, 35), overdue: count(7, 10)),
            times: [
                ReportDuration(metric: .firstResponse, count: count(110, 90), median: figure(1_800, 2_400), p90: figure(9_000, 7_200)),
                ReportDuration(metric: .resolution, count: count(90, 80), median: figure(86_400, 100_800), p90: figure(259_200, 259_200)),
                ReportDuration(metric: .plan, count: count(0, 0), median: figure(nil, nil), p90: figure(nil, nil)),
            ],
            slaCompliance: [
                ReportSLACompliance(metric: .firstResponse, level: nil, met: count(99, 81), breached: count(11, 9), compliance: figure(0.9, 0.9)),
                ReportSLACompliance(metric: .firstResponse, level: .urgent, met: count(18, 10), breached: count(2, 5), compliance: figure(0.9, 10.0 / 15)),
                ReportSLACompliance(metric: .resolution, level: nil, met: count(76, 72), breached: count(14, 8), compliance: figure(76.0 / 90, 0.9)),
            ],
            warnings: [ReportMetricCount(metric: .firstResponse, count: count(20, 25))],
            escalationSteps: [
                ReportEscalationStep(metric: .firstResponse, step: 1, count: count(11, 9)),
                ReportEscalationStep(metric: .firstResponse, step: 2, count: count(3, 1)),
                ReportEscalationStep(metric: .resolution, step: 1, count: count(5, 4)),
            ],
            rectification: ReportRectification(due: count(80, 70), resolvedOnTime: count(68, 63), rate: figure(0.85, 0.9)),
            breakdowns: [
                ReportBreakdown(
                    dimension: .category,
                    rows: [
                        row("product", 60, 50, share: 0.48), row("logistics", 40, 30, share: 0.32), row("service", 25, 20, share: 0.2),
                    ]),
                ReportBreakdown(dimension: .channel, rows: [row("hotline", 70, 60, share: 0.56), row("chat", 55, 40, share: 0.44)]),
                ReportBreakdown(dimension: .department, rows: [row("rd", 60, 50, share: 0.48), row("Ops | <Night>", 65, 50, share: 0.52)]),
            ],
            series: zip(days, received).map { day, n in
                ReportDailyPoint(day: day, received: n, resolved: n - 3, escalated: n / 10, warnings: n / 5, reopened: 1, answers: 5, csat: 0.8)
            },
            previousSeries: zip(previousDays, received.reversed()).map { day, n in
                ReportDailyPoint(day: day, received: n, resolved: n, escalated: 0, warnings: 0, reopened: 0, answers: 0, csat: nil)
            },
            topProblems: [
                ReportProblem(
                    category: .logistics, subcategory: "logistics.late_delivery", count: count(30, 20), share: figure(0.25, 0.2),
                    examples: [
                        ReportExample(ticketId: 1042, excerpt: "快递五天没到，电话138****1234"), ReportExample(ticketId: 1077, excerpt: "=HYPERLINK(\"x\") <b>late</b>"),
                    ]),
                ReportProblem(category: .product, subcategory: "product.defect", count: count(22, 25), share: figure(0.18, 0.25), examples: []),
            ],
            incidents: [
                ReportIncident(
                    id: 7, category: .product, subcategory: "product.malfunction", tickets: 14, customers: 12, firstReceivedAt: "2026-11-18T09:12:00Z",
                    lastReceivedAt: "2026-11-18T11:40:00Z", examples: [ReportExample(ticketId: 1100, excerpt: "升级后闪退")])
            ],
            topKeywords: [
                ReportKeyword(keyword: "快递", count: count(33, 21), examples: []), ReportKeyword(keyword: "-refund|now", count: count(5, 0), examples: []),
            ],
            satisfaction: ReportSatisfaction(
                answers: count(35, 30), invalid: count(4, 2),
                invalidByReason: [ReportInvalidReason(flag: .tooFast, count: count(3, 1)), ReportInvalidReason(flag: .straightLining, count: count(1, 1))],
                dimensions: dimensions,
                lowestDimensions: [dimensions[0], dimensions[2], dimensions[3]],
                csat: figure(0.8, 0.75), nps: figure(32, 20), responseRate: figure(0.35, 0.4),
                reliability: [ReportReliability(surveyId: "resolution_followup", items: 4, answers: 35, alpha: figure(0.82, 0.79))])
        )
    }

    static let dimensions = [
        ReportDimensionScore(surveyId: "resolution_followup", dimension: "response_speed", mean: figure(3.1, 3.4), answers: 35),
        ReportDimensionScore(surveyId: "resolution_followup", dimension: "attitude", mean: figure(4.5, 4.4), answers: 35),
        ReportDimensionScore(surveyId: "resolution_followup", dimension: "professionalism", mean: figure(3.9, 3.9), answers: 35),
        ReportDimensionScore(surveyId: "resolution_followup", dimension: "solution_quality", mean: figure(3.6, 3.2), answers: 35),
    ]

    static func row(_ key: String, _ received: Int64, _ previous: Int64, share: Double) -> ReportBreakdownRow {
        ReportBreakdownRow(
            key: key, received: count(received, previous), share: figure(share, 0.5), resolved: count(received / 2, previous / 2),
            escalated: count(2, 1), reopened: count(1, 1), slaCompliance: figure(0.9, 0.85))
    }

    /// The same report with nothing in it.
    static func empty() throws -> Report {
        let period = try ReportPeriod.parse("2026-11-23", timeZone: TimeZone(identifier: "UTC")!)
        let none = count(0, 0)
        let undefined = figure(nil, nil)
        return Report(
            period: period, filter: ReportFilter(), generatedAt: Date(timeIntervalSince1970: 1_795_398_000),
            volumes: ReportVolumes(
                received: none, classified: none, resolved: none, reopened: none, closed: none, escalated: none, duplicates: none, rejected: none,
                stillOpen: none, overdue: none),
            times: [], slaCompliance: [], warnings: [], escalationSteps: [],
            rectification: ReportRectification(due: none, resolvedOnTime: none, rate: undefined), breakdowns: [],
            series: [ReportDailyPoint(day: "2026-11-23", received: 0, resolved: 0, escalated: 0, warnings: 0, reopened: 0, answers: 0, csat: nil)],
            previousSeries: [], topProblems: [], incidents: [], topKeywords: [],
            satisfaction: ReportSatisfaction(
                answers: none, invalid: none, invalidByReason: [], dimensions: [], lowestDimensions: [], csat: undefined, nps: undefined,
                responseRate: undefined, reliability: []))
    }
}
