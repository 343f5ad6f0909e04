import FeedloopCore

extension ReportDocument {
    /// The headline figures, in the order the dashboard's tiles show them.
    public static func headline(_ report: Report, _ labels: Labels) -> [FigureLine] {
        let ids: Set<String> = ["received", "resolved", "still_open", "overdue", "escalated", "reopened", "rectification_rate", "csat", "nps", "response_rate"]
        return overviewLines(report, labels).filter { ids.contains($0.id) }
    }

    /// Every figure of the overview table.
    static func overviewLines(_ report: Report, _ labels: Labels) -> [FigureLine] {
        let v = report.volumes
        let r = report.rectification
        let s = report.satisfaction
        return [
            FigureLine("received", labels[.received], v.received, .count, .neutral),
            FigureLine("classified", labels[.classified], v.classified, .count, .neutral),
            FigureLine("resolved", labels[.resolved], v.resolved, .count, .higherIsBetter),
            FigureLine("closed", labels[.closed], v.closed, .count, .neutral),
            FigureLine("reopened", labels[.reopened], v.reopened, .count, .lowerIsBetter),
            FigureLine("escalated", labels[.escalated], v.escalated, .count, .lowerIsBetter),
            FigureLine("still_open", labels[.stillOpen], v.stillOpen, .count, .lowerIsBetter),
            FigureLine("overdue", labels[.overdue], v.overdue, .count, .lowerIsBetter),
            FigureLine("duplicates", labels[.duplicates], v.duplicates, .count, .neutral),
            FigureLine("rejected", labels[.rejected], v.rejected, .count, .neutral),
            FigureLine("rectification_due", labels[.rectificationDue], r.due, .count, .neutral),
            FigureLine("rectification_on_time", labels[.resolvedOnTime], r.resolvedOnTime, .count, .higherIsBetter),
            FigureLine("rectification_rate", labels[.rectification], r.rate, .share, .higherIsBetter),
            FigureLine("answers", labels[.answers], s.answers, .count, .neutral),
            FigureLine("invalid_answers", labels[.invalid], s.invalid, .count, .lowerIsBetter),
            FigureLine("csat", labels[.csat], s.csat, .share, .higherIsBetter),
            FigureLine("nps", labels[.nps], s.nps, .nps, .higherIsBetter),
            FigureLine("response_rate", labels[.responseRate], s.responseRate, .share, .higherIsBetter),
        ]
    }

    /// Every table of the report, grouped by section, in document order.
    public static func sections(_ report: Report, _ labels: Labels) -> [Section] {
        [
            Section(id: "overview", title: labels[.sectionOverview], tables: [overview(report, labels)]),
            Section(id: "times", title: labels[.sectionTimes], tables: [times(report, labels)]),
            Section(id: "sla", title: labels[.sectionSLA], tables: [slaCompliance(report, labels)]),
            Section(id: "escalations", title: labels[.sectionEscalations], tables: [warnings(report, labels), escalationSteps(report, labels)]),
            Section(id: "breakdowns", title: labels[.sectionBreakdowns], tables: report.breakdowns.map { breakdown($0, labels) }),
            Section(id: "problems", title: labels[.sectionProblems], tables: [problems(report, labels)]),
            Section(id: "incidents", title: labels[.sectionIncidents], tables: [incidents(report, labels)]),
            Section(id: "keywords", title: labels[.sectionKeywords], tables: [keywords(report, labels)]),
            Section(
                id: "satisfaction", title: labels[.sectionSatisfaction],
                tables: [dimensions(report, labels), invalidReasons(report, labels), reliability(report, labels)]),
            Section(id: "daily", title: labels[.sectionDaily], tables: [daily(report, labels)]),
        ]
    }

    static func overview(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "overview", title: labels[.sectionOverview],
            columns: [
                Column(labels[.columnFigure], csv: "figure"), Column(labels[.columnThisPeriod], csv: "value"),
                Column(labels[.columnPrevious], csv: "previous"), Column(labels[.columnChange], csv: "change"),
            ],
            rows: overviewLines(report, labels).map { line in
                Row([
                    .text(line.label, raw: line.id), .value(line.figure.value, line.measure), .value(line.figure.previous, line.measure),
                    .change(line.figure, line.measure, line.polarity),
                ])
            }
        )
    }

    static func times(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "times", title: labels[.sectionTimes],
            columns: [
                Column(labels[.columnClock], csv: "metric"), Column(labels[.columnCount], csv: "count", figure: true),
                Column(labels[.columnMedian], csv: "median_seconds", figure: true), Column(labels[.columnP90], csv: "p90_seconds", figure: true),
            ],
            rows: report.times.map { t in
                Row([
                    .text(labels.metric(t.metric), raw: t.metric.rawValue), .figure(t.count, .count, .neutral),
                    .figure(t.median, .duration, .lowerIsBetter), .figure(t.p90, .duration, .lowerIsBetter),
                ])
            }
        )
    }

    static func slaCompliance(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "sla_compliance", title: labels[.sectionSLA],
            columns: [
                Column(labels[.columnClock], csv: "metric"), Column(labels[.columnLevel], csv: "level"),
                Column(labels[.columnMet], csv: "met", figure: true), Column(labels[.columnBreached], csv: "breached", figure: true),
                Column(labels[.columnCompliance], csv: "compliance", figure: true),
            ],
            rows: report.slaCompliance.map { c in
                Row([
                    .text(labels.metric(c.metric), raw: c.metric.rawValue),
                    c.level.map { .text(labels.level($0), raw: String($0.rawValue)) } ?? .text(labels[.allLevels], raw: "all"),
                    .figure(c.met, .count, .higherIsBetter), .figure(c.breached, .count, .lowerIsBetter),
                    .figure(c.compliance, .share, .higherIsBetter),
                ])
            }
        )
    }

    static func warnings(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "warnings", title: labels[.warnings],
            columns: [Column(labels[.columnClock], csv: "metric"), Column(labels[.warnings], csv: "warnings", figure: true)],
            rows: report.warnings.map { w in Row([.text(labels.metric(w.metric), raw: w.metric.rawValue), .figure(w.count, .count, .lowerIsBetter)]) }
        )
    }

    static func escalationSteps(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "escalation_steps", title: labels[.chartEscalations],
            columns: [
                Column(labels[.columnClock], csv: "metric"), Column(labels[.columnStep], csv: "step"),
                Column(labels[.escalated], csv: "escalations", figure: true),
            ],
            rows: report.escalationSteps.map { e in
                Row([.text(labels.metric(e.metric), raw: e.metric.rawValue), .plain(String(e.step)), .figure(e.count, .count, .lowerIsBetter)])
            }
        )
    }

    static func breakdown(_ breakdown: ReportBreakdown, _ labels: Labels) -> Table {
        let d = breakdown.dimension
        return Table(
            id: "breakdown_\(d.rawValue)", title: labels.dimension(d),
            columns: [
                Column(labels.dimension(d), csv: d.rawValue), Column(labels[.received], csv: "received", figure: true),
                Column(labels[.columnShare], csv: "share", figure: true), Column(labels[.resolved], csv: "resolved", figure: true),
                Column(labels[.escalated], csv: "escalated", figure: true), Column(labels[.reopened], csv: "reopened", figure: true),
                Column(labels[.columnCompliance], csv: "sla_compliance", figure: true),
            ],
            rows: breakdown.rows.map { r in
                Row([
                    .text(labels.key(r.key, of: d), raw: r.key), .figure(r.received, .count, .neutral), .figure(r.share, .share, .neutral),
                    .figure(r.resolved, .count, .higherIsBetter), .figure(r.escalated, .count, .lowerIsBetter),
                    .figure(r.reopened, .count, .lowerIsBetter), .figure(r.slaCompliance, .share, .higherIsBetter),
                ])
            }
        )
    }

    static func problems(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "top_problems", title: labels[.sectionProblems],
            columns: [
                Column(labels[.columnCategory], csv: "category"), Column(labels[.columnSubcategory], csv: "subcategory"),
                Column(labels[.columnCount], csv: "count", figure: true), Column(labels[.columnShare], csv: "share", figure: true),
                Column(labels[.columnExamples], csv: "examples"),
            ],
            rows: report.topProblems.map { p in
                Row([
                    .text(labels.category(p.category), raw: p.category.rawValue),
                    .text(labels.subcategory(p.subcategory, of: p.category), raw: p.subcategory ?? ""), .figure(p.count, .count, .lowerIsBetter),
                    .figure(p.share, .share, .neutral), .examples(p.examples),
                ])
            }
        )
    }

    static func incidents(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "incidents", title: labels[.sectionIncidents],
            columns: [
                Column(labels[.columnIncident], csv: "incident"), Column(labels[.columnCategory], csv: "category"),
                Column(labels[.columnSubcategory], csv: "subcategory"), Column(labels[.columnTickets], csv: "tickets"),
                Column(labels[.columnCustomers], csv: "customers"), Column(labels[.columnFirstSeen], csv: "first_received_at"),
                Column(labels[.columnLastSeen], csv: "last_received_at"), Column(labels[.columnExamples], csv: "examples"),
            ],
            rows: report.incidents.map { i in
                Row([
                    .plain("#\(i.id)"), .text(labels.category(i.category), raw: i.category.rawValue),
                    .text(labels.subcategory(i.subcategory, of: i.category), raw: i.subcategory ?? ""), .value(Double(i.tickets), .count),
                    .value(Double(i.customers), .count), .plain(i.firstReceivedAt), .plain(i.lastReceivedAt), .examples(i.examples),
                ])
            }
        )
    }

    static func keywords(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "top_keywords", title: labels[.sectionKeywords],
            columns: [
                Column(labels[.columnKeyword], csv: "keyword"), Column(labels[.columnCount], csv: "count", figure: true),
                Column(labels[.columnExamples], csv: "examples"),
            ],
            rows: report.topKeywords.map { k in Row([.plain(k.keyword), .figure(k.count, .count, .neutral), .examples(k.examples)]) }
        )
    }

    static func dimensions(_ report: Report, _ labels: Labels) -> Table {
        let lowest = Set(report.satisfaction.lowestDimensions.map { "\($0.surveyId)\u{1F}\($0.dimension)" })
        return Table(
            id: "satisfaction_dimensions", title: labels[.chartSatisfaction],
            columns: [
                Column(labels[.columnSurvey], csv: "survey"), Column(labels[.columnDimension], csv: "dimension"),
                Column(labels[.columnMean], csv: "mean", figure: true), Column(labels[.columnAnswers], csv: "answers"),
                Column(labels[.lowest], csv: "lowest"),
            ],
            rows: report.satisfaction.dimensions.map { d in
                let isLowest = lowest.contains("\(d.surveyId)\u{1F}\(d.dimension)")
                return Row(
                    [
                        .text(labels.survey(d.surveyId), raw: d.surveyId), .text(labels.surveyDimension(d.dimension, survey: d.surveyId), raw: d.dimension),
                        .figure(d.mean, .score, .higherIsBetter), .value(Double(d.answers), .count),
                        .text(isLowest ? "▼ " + labels[.lowest] : "", raw: isLowest ? "true" : "false"),
                    ], highlighted: isLowest)
            }
        )
    }

    static func invalidReasons(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "invalid_answers", title: labels[.invalid],
            columns: [Column(labels[.columnReason], csv: "reason"), Column(labels[.columnCount], csv: "count", figure: true)],
            rows: report.satisfaction.invalidByReason.map { r in
                Row([.text(labels.flag(r.flag), raw: r.flag.rawValue), .figure(r.count, .count, .lowerIsBetter)])
            }
        )
    }

    static func reliability(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "reliability", title: labels[.alpha],
            columns: [
                Column(labels[.columnSurvey], csv: "survey"), Column(labels[.columnItems], csv: "items"), Column(labels[.columnAnswers], csv: "answers"),
                Column(labels[.alpha], csv: "alpha", figure: true),
            ],
            rows: report.satisfaction.reliability.map { r in
                Row([
                    .text(labels.survey(r.surveyId), raw: r.surveyId), .value(Double(r.items), .count), .value(Double(r.answers), .count),
                    .figure(r.alpha, .alpha, .higherIsBetter),
                ])
            }
        )
    }

    static func daily(_ report: Report, _ labels: Labels) -> Table {
        Table(
            id: "daily", title: labels[.sectionDaily],
            columns: [
                Column(labels[.columnDay], csv: "day"), Column(labels[.received], csv: "received"), Column(labels[.resolved], csv: "resolved"),
                Column(labels[.escalated], csv: "escalated"), Column(labels[.warnings], csv: "warnings"), Column(labels[.reopened], csv: "reopened"),
                Column(labels[.answers], csv: "answers"), Column(labels[.csat], csv: "csat"),
            ],
            rows: report.series.map { p in
                Row([
                    .plain(p.day), .value(Double(p.received), .count), .value(Double(p.resolved), .count), .value(Double(p.escalated), .count),
                    .value(Double(p.warnings), .count), .value(Double(p.reopened), .count), .value(Double(p.answers), .count), .value(p.csat, .share),
                ])
            }
        )
    }
}
