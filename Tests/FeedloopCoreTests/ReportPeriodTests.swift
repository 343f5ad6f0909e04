import Foundation
import Testing

@testable import FeedloopCore

/// Report periods: ISO weeks across year ends, months, ranges, previous periods, time zones.
@Suite struct ReportPeriodTests {
    let utc = TimeZone(identifier: "UTC")!

    func date(_ text: String) -> LocalDate { LocalDate(text)! }

    func instant(_ text: String) -> Date { FeedloopJSON.parseTimestamp(text)! }

    @Test func daysSinceEpochRoundTrip() {
        for text in ["1970-01-01", "1969-12-31", "2000-02-29", "2020-12-31", "2026-11-23", "2400-03-01"] {
            let d = date(text)
            #expect(LocalDate(daysSinceEpoch: d.dayNumber) == d)
        }
        #expect(date("2026-12-31").adding(days: 1) == date("2027-01-01"))
        #expect(date("2024-03-01").adding(days: -1) == date("2024-02-29"))
        #expect(date("2026-01-01").days(to: date("2026-12-31")) == 364)
    }

    @Test func isoWeeksAcrossYearEnds() {
        // 2020 has 53 weeks; its last week ends on 3 January 2021.
        #expect(ISOWeek.weeks(inYear: 2020) == 53)
        #expect(ISOWeek(containing: date("2021-01-03")) == ISOWeek(year: 2020, week: 53))
        #expect(ISOWeek(containing: date("2021-01-04")) == ISOWeek(year: 2021, week: 1))
        // 2026-W01 starts on Monday 29 December 2025.
        #expect(ISOWeek(year: 2026, week: 1).monday == date("2025-12-29"))
        #expect(ISOWeek(containing: date("2025-12-29")).description == "2026-W01")
        // 2026 starts on a Thursday, so it has a week 53; 2025 does not.
        #expect(ISOWeek.weeks(inYear: 2026) == 53)
        #expect(ISOWeek("2025-W53") == nil)
        #expect(ISOWeek("2026-W53")?.monday == date("2026-12-28"))
        #expect(ISOWeek(containing: date("2026-11-23")).description == "2026-W48")
        #expect(ISOWeek("2026-W47")?.monday == date("2026-11-16"))
        #expect(ISOWeek("2026-W00") == nil)
        #expect(ISOWeek("2026-47") == nil)
    }

    @Test func parsesEveryKindOfPeriod() throws {
        let week = try ReportPeriod.parse("2020-W53", timeZone: utc)
        #expect(week.kind == .week && week.start == date("2020-12-28") && week.end == date("2021-01-03") && week.dayCount == 7)
        #expect(week.label == "2020-W53")
        let month = try ReportPeriod.parse("2024-02", timeZone: utc)
        #expect(month.kind == .month && month.start == date("2024-02-01") && month.end == date("2024-02-29") && month.label == "2024-02")
        let day = try ReportPeriod.parse("2026-11-23", timeZone: utc)
        #expect(day.kind == .day && day.dayCount == 1 && day.label == "2026-11-23")
        let range = try ReportPeriod.parse("2026-11-01..2026-11-15", timeZone: utc)
        #expect(range.kind == .range && range.dayCount == 15 && range.label == "2026-11-01..2026-11-15")
    }

    @Test func refusesMalformedPeriodsWithAReason() {
        for text in ["2026-13", "2026-W54", "2025-W53", "2026-11-31", "2026-11-15..2026-11-01", "last week", "2026-11-01..soon", ""] {
            #expect(throws: ReportPeriodError.self, "\(text)") { try ReportPeriod.parse(text, timeZone: utc) }
        }
        do {
            _ = try ReportPeriod.parse("2026-13", timeZone: utc)
        } catch let error as ReportPeriodError {
            #expect(error.reason.contains("month 13"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func previousPeriodHasTheSameLength() throws {
        let week = try ReportPeriod.parse("2026-W01", timeZone: utc).previous
        #expect(week.label == "2025-W52" && week.start == date("2025-12-22") && week.end == date("2025-12-28"))
        let month = try ReportPeriod.parse("2026-03", timeZone: utc).previous
        #expect(month.label == "2026-02" && month.dayCount == 28)
        let january = try ReportPeriod.parse("2026-01", timeZone: utc).previous
        #expect(january.label == "2025-12" && january.dayCount == 31)
        let range = try ReportPeriod.parse("2026-11-01..2026-11-15", timeZone: utc).previous
        #expect(range.start == date("2026-10-17") && range.end == date("2026-10-31"))
        #expect(try ReportPeriod.parse("2026-03-01", timeZone: utc).previous.label == "2026-02-28")
    }

    @Test func daysAreLocalToTheTimeZone() throws {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        // 20:30 UTC is already the next morning in Shanghai.
        #expect(LocalDate(instant("2026-11-22T20:30:00Z"), in: shanghai) == date("2026-11-23"))
        #expect(LocalDate(instant("2026-11-22T20:30:00Z"), in: utc) == date("2026-11-22"))
        let day = try ReportPeriod.parse("2026-11-23", timeZone: shanghai)
        #expect(day.timeZone == "Asia/Shanghai")
        #expect(day.startInstant == instant("2026-11-22T16:00:00Z"))
        #expect(day.endInstant == instant("2026-11-23T16:00:00Z"))
        // The day daylight saving time ends in New York has 25 hours.
        let newYork = try ReportPeriod.parse("2026-11-01", timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(newYork.startInstant == instant("2026-11-01T04:00:00Z"))
        #expect(newYork.endInstant.timeIntervalSince(newYork.startInstant) == 25 * 3600)
    }

    @Test func periodsEncodeWithTheirLabel() throws {
        let period = try ReportPeriod.parse("2026-W47", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let json = String(decoding: try FeedloopJSON.encoder().encode(period), as: UTF8.self)
        #expect(json == #"{"days":7,"end":"2026-11-22","kind":"week","label":"2026-W47","start":"2026-11-16","time_zone":"Asia/Shanghai"}"#)
        #expect(try FeedloopJSON.decoder().decode(ReportPeriod.self, from: Data(json.utf8)) == period)
    }
}
