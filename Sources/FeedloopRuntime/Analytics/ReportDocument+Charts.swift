import FeedloopCore

extension ReportDocument {
    /// A chart of a report, rendered as inline SVG.
    public struct Chart: Sendable {
        /// `volumes`, `categories`, `channels`, `sla`, `times`, `satisfaction`, `nps`, `csat`, `escalations`.
        public var id: String
        public var title: String
        public var svg: String
    }

    /// The charts of each section (keyed by ``Section/id``), as the HTML document and the
    /// dashboard show them.
    public static func charts(_ report: Report, _ labels: Labels) -> [String: [Chart]] {
        let empty = labels[.noData]
        var charts: [String: [Chart]] = [:]

        // Tickets per day, with the previous period's days as a dashed comparison line.
        // Days after the report was made have no counts yet: left open rather than drawn as 0.
        let made = LocalDate(report.generatedAt, in: report.period.zone).description
        func sofar(_ value: Int64, _ day: String) -> Double? { day > made ? nil : Double(value) }
        let days = report.series.map { String($0.day.suffix(5)) }
        let previous = report.previousSeries.map { Double?(Double($0.received)) }
        var volumes = SVGLineChart(
            title: labels[.chartVolumes], xLabels: days,
            series: [
                .init(name: labels[.seriesReceived], values: report.series.map { sofar($0.received, $0.day) }),
                .init(name: labels[.seriesResolved], values: report.series.map { sofar($0.resolved, $0.day) }),
                .init(name: labels[.seriesEscalated], values: report.series.map { sofar($0.escalated, $0.day) }),
                .init(name: labels[.seriesPreviousReceived], values: Array(previous.prefix(days.count)), dashed: true),
            ],
            emptyText: empty
        )
        volumes.wholeNumbers = true
        charts["overview", default: []].append(Chart(id: "volumes", title: labels[.chartVolumes], svg: volumes.render()))
        for (dimension, id, title) in [(ReportDimension.category, "categories", labels[.chartCategories]), (.channel, "channels", labels[.chartChannels])] {
            let rows = report.breakdowns.first { $0.dimension == dimension }?.rows ?? []
            let donut = SVGDonutChart(
                title: title, slices: rows.map { .init(label: labels.key($0.key, of: dimension), value: $0.received.value ?? 0) },
                centerText: format(report.volumes.received.value, .count, labels), emptyText: empty)
            charts["overview", default: []].append(Chart(id: id, title: title, svg: donut.render()))
        }

        // Times: the median, and how far the slowest tenth reaches beyond it, in a unit that
        // suits the longest.
        let longest = report.times.compactMap { $0.p90.value ?? $0.median.value }.max() ?? 0
        let (unit, unitName): (Double, Text) =
            longest < 90 ? (1, .unitSeconds) : longest < 90 * 60 ? (60, .unitMinutes) : longest < 48 * 3600 ? (3600, .unitHours) : (86400, .unitDays)
        let timesTitle = labels[.chartResolutionTimes] + " · " + labels[unitName]
        let times = SVGStackedBarChart(
            title: timesTitle, series: [labels[.seriesMedian], labels[.seriesP90]],
            colors: [ChartPalette.color(0), ChartPalette.color(4)],
            rows: report.times.compactMap { t in
                guard let median = t.median.value else { return nil }
                let p90 = max(t.p90.value ?? median, median)
                return .init(
                    label: labels.metric(t.metric), values: [median / unit, (p90 - median) / unit],
                    note: duration(median, labels) + " / " + duration(p90, labels))
            },
            emptyText: empty
        )
        charts["times", default: []].append(Chart(id: "times", title: timesTitle, svg: times.render()))

        let sla = SVGStackedBarChart(
            title: labels[.chartSLA], series: [labels[.columnMet], labels[.columnBreached]], colors: [ChartPalette.good, ChartPalette.bad],
            rows: report.slaCompliance.map { c in
                .init(
                    label: labels.metric(c.metric) + " · " + (c.level.map(labels.level) ?? labels[.allLevels]),
                    values: [c.met.value ?? 0, c.breached.value ?? 0], note: format(c.compliance.value, .share, labels))
            },
            normalized: true, emptyText: empty
        )
        charts["sla", default: []].append(Chart(id: "sla", title: labels[.chartSLA], svg: sla.render()))

        let metrics = SLAMetric.allCases.filter { m in report.escalationSteps.contains { $0.metric == m } }
        let steps = Array(Set(report.escalationSteps.map(\.step))).sorted()
        var escalations = SVGStackedBarChart(
            title: labels[.chartEscalations], series: metrics.map(labels.metric),
            rows: steps.map { step in
                .init(
                    label: labels[.columnStep] + " " + String(step),
                    values: metrics.map { m in report.escalationSteps.first { $0.metric == m && $0.step == step }?.count.value ?? 0 })
            },
            emptyText: empty
        )
        escalations.wholeNumbers = true
        charts["escalations", default: []].append(Chart(id: "escalations", title: labels[.chartEscalations], svg: escalations.render()))

        let s = report.satisfaction
        let lowest = Set(s.lowestDimensions.map { "\($0.surveyId)\u{1F}\($0.dimension)" })
        let surveys = Set(s.dimensions.map(\.surveyId)).count
        let dimensions = SVGBarChart(
            title: labels[.chartSatisfaction],
            bars: s.dimensions.compactMap { d in
                guard let mean = d.mean.value else { return nil }
                let name = labels.surveyDimension(d.dimension, survey: d.surveyId)
                return .init(
                    label: surveys > 1 ? labels.survey(d.surveyId) + " · " + name : name, value: mean, valueText: format(mean, .score, labels),
                    highlighted: lowest.contains("\(d.surveyId)\u{1F}\(d.dimension)"))
            },
            maximum: 5, emptyText: empty
        )
        charts["satisfaction", default: []].append(Chart(id: "satisfaction", title: labels[.chartSatisfaction], svg: dimensions.render()))
        let nps = SVGGauge(
            title: labels[.chartNPS], value: s.nps.value, minimum: -100, maximum: 100, goodFrom: 0, valueText: format(s.nps.value, .nps, labels),
            emptyText: empty)
        charts["satisfaction", default: []].append(Chart(id: "nps", title: labels[.chartNPS], svg: nps.render()))
        let csat = SVGGauge(
            title: labels[.chartCSAT], value: s.csat.value.map { $0 * 100 }, minimum: 0, maximum: 100, goodFrom: 80,
            valueText: format(s.csat.value, .share, labels), emptyText: empty)
        charts["satisfaction", default: []].append(Chart(id: "csat", title: labels[.chartCSAT], svg: csat.render()))
        return charts
    }

    /// A day-by-day line for a headline figure's tile (`received`, `resolved`, `escalated`,
    /// `reopened`), up to the day the report was made, when that is more than one day.
    public static func sparkline(for line: FigureLine, _ report: Report) -> String? {
        let made = LocalDate(report.generatedAt, in: report.period.zone).description
        let days = report.series.filter { $0.day <= made }
        let values: [Double]
        switch line.id {
        case "received": values = days.map { Double($0.received) }
        case "resolved": values = days.map { Double($0.resolved) }
        case "escalated": values = days.map { Double($0.escalated) }
        case "reopened": values = days.map { Double($0.reopened) }
        default: return nil
        }
        guard values.count > 1 else { return nil }
        return SVGSparkline(title: line.label, values: values).render()
    }
}
