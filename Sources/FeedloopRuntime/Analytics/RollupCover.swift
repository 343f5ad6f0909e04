import FeedloopCore

/// Which rollup rows add up to a run of days: whole months from month rows, the rest from
/// day rows. A year reads 12 month rows per cell instead of 365 day rows.
struct RollupCover {
    var months: [LocalDate] = []
    var days: [LocalDate] = []

    init(from start: LocalDate, through end: LocalDate) {
        var day = start
        while day <= end {
            let first = LocalDate(year: day.year, month: day.month, day: 1)
            let last = first.adding(days: first.monthLength - 1)
            if day == first && last <= end {
                months.append(first)
                day = last.adding(days: 1)
            } else {
                days.append(day)
                day = day.adding(days: 1)
            }
        }
    }

    /// Every day up to and including `end`: what "as of the end" figures sum.
    static func through(_ end: LocalDate) -> RollupCover {
        RollupCover(from: LocalDate(year: 1970, month: 1, day: 1), through: end)
    }

    /// The SQL condition, binding two date arrays after `params`.
    func condition(_ params: inout SQLParameters, prefix: String = "") -> String {
        let m = params.add(.textArray(months.map(\.description)))
        let d = params.add(.textArray(days.map(\.description)))
        return "((\(prefix)grain = 'm' AND \(prefix)day = ANY(\(m)::date[])) OR (\(prefix)grain = 'd' AND \(prefix)day = ANY(\(d)::date[])))"
    }
}
