import FeedloopCore
import Testing

@testable import FeedloopRuntime

/// Which month and day rows a run of days reads, and the ranges the SQL names them by.
@Suite struct RollupCoverTests {
    func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func wholeMonthsFromMonthRowsAndTheRestFromDays() {
        let cover = RollupCover(from: date("2026-01-30"), through: date("2026-04-02"))
        #expect(cover.months == [date("2026-02-01"), date("2026-03-01")])
        #expect(cover.days == [date("2026-01-30"), date("2026-01-31"), date("2026-04-01"), date("2026-04-02")])
    }

    @Test func theMonthSoFarIsReadFromItsMonthRowWhenNoLaterDayHoldsData() {
        // The last 365 days, asked on the day of the latest data: November so far is its month row.
        let soFar = RollupCover(from: date("2025-11-24"), through: date("2026-11-23"), dataThrough: date("2026-11-23"))
        #expect(soFar.months.count == 12)
        #expect(soFar.months.last == date("2026-11-01"))
        #expect(soFar.days.map(\.description) == (24...30).map { "2025-11-\($0)" })
        // Data after the end of the run: its days must be left out, so they are read one by one.
        let later = RollupCover(from: date("2025-11-24"), through: date("2026-11-23"), dataThrough: date("2026-11-24"))
        #expect(later.months.last == date("2026-10-01"))
        #expect(later.days.count == 7 + 23)
        // A month that starts before the run is never read whole.
        #expect(RollupCover(from: date("2026-11-02"), through: date("2026-11-23"), dataThrough: date("2026-11-20")).months.isEmpty)
    }

    @Test func consecutiveRowsBecomeOneRangeEach() {
        var p = SQLParameters()
        let cover = RollupCover(from: date("2026-01-30"), through: date("2026-04-02"))
        let sql = cover.condition(&p)
        // One month range, and the two runs of days on either side.
        #expect(sql.components(separatedBy: " BETWEEN ").count - 1 == 3)
        #expect(p.values.count == 6)
        #expect(
            RollupCover.runs(cover.days, next: { $0.adding(days: 1) }).map { "\($0.first)..\($0.last)" } == [
                "2026-01-30..2026-01-31", "2026-04-01..2026-04-02",
            ])
    }

    @Test func asOfTheEndIsOneRangeOfMonthsAndOneOfDays() {
        var p = SQLParameters()
        let sql = RollupCover.through(date("2026-11-23")).condition(&p)
        #expect(sql.components(separatedBy: " BETWEEN ").count - 1 == 2)
        #expect(RollupCover.runs([date("2025-12-01"), date("2026-01-01"), date("2026-03-01")], next: { $0.adding(days: $0.monthLength) }).count == 2)
    }

    @Test func anEmptyCoverMatchesNothing() {
        var p = SQLParameters()
        #expect(RollupCover(from: date("2026-02-02"), through: date("2026-02-01")).condition(&p) == "false")
    }
}
