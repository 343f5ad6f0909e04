import FeedloopCore
import FeedloopRuntime
import FeedloopTestSupport
import Foundation
import Postgres
import Testing

/// Migration 12 on rollups that migration 11's worker wrote: "still open" moves from receipt to
/// classification, and margins, overall rows and verdict counts are filled from what is there.
@Suite struct AnalyticsMarginsMigrationTests {
    @Test func openCountsFromClassificationAndTheMarginsMatchTheCells() throws {
        let database = try ScratchDatabase.create(through: 11)
        defer { database.drop() }
        let db = try database.connect()
        defer { db.close() }
        let received = try #require(LocalDate("2026-11-20"))

        func ticket(_ n: Int, state: String) throws -> Int64 {
            try db.query(
                """
                INSERT INTO tickets (channel, external_id, body, received_at, state, state_changed_at, classified_at, department, category, level)
                VALUES ('chat', $1, 'text', $2::timestamptz, $3, $2::timestamptz, CASE WHEN $3 = 'open' THEN $2::timestamptz END,
                        CASE WHEN $3 = 'open' THEN 'rd' END, CASE WHEN $3 = 'open' THEN 'product' END, CASE WHEN $3 = 'open' THEN 2 END)
                RETURNING id
                """,
                [.text("m\(n)"), .text("2026-11-20T10:00:00Z"), .text(state)])[0].decode(Int64.self, at: 0)
        }
        // Counted as the worker before migration 12 did: +1 open at receipt (unclassified
        // cell), moved to the classified cell by ticket.classified.
        let classified = try ticket(1, state: "open")
        let waiting = try ticket(2, state: "received")
        let duplicate = try ticket(3, state: "received")
        let unseen = try ticket(4, state: "received")
        try db.query("UPDATE tickets SET state = 'duplicate', state_changed_at = received_at WHERE id = $1", [.int(duplicate)])
        for (id, type) in [
            (classified, "feedback.received"), (classified, "ticket.classified"), (waiting, "feedback.received"), (duplicate, "feedback.received"),
        ] {
            try db.query("INSERT INTO inbox (consumer, message_id) VALUES ('analytics', $1)", [.text("\(type)/\(id)")])
        }
        for grain in ["d", "m"] {
            let day = grain == "d" ? received.description : "2026-11-01"
            try db.query(
                """
                INSERT INTO analytics_ticket_counts (grain, day, department, channel, category, subcategory, level, tier, received, classified, open_delta)
                VALUES ($1, $2::date, '', 'chat', '', '', 0, '', 2, 0, 2), ($1, $2::date, 'rd', 'chat', 'product', '', 2, '', 1, 1, 1)
                """, [.text(grain), .text(day)])
            try db.query(
                "INSERT INTO analytics_escalations (grain, day, department, channel, category, level, tier, metric, step, count) VALUES ($1, $2::date, 'rd', 'chat', 'product', 2, '', 'first_response', 1, 1)",
                [.text(grain), .text(day)])
        }

        try Migrator(logger: TestServers.logger).migrate(db)

        let unclassifiedOpen = try database.scalar(
            Int.self, "SELECT open_delta::int8 FROM analytics_ticket_counts WHERE grain = 'd' AND department = '' AND channel = 'chat'")
        #expect(unclassifiedOpen == 0, "the waiting ticket and the duplicate are not open; the unseen one was never counted")
        let overall = "department = '*' AND channel = '*' AND category = '*' AND subcategory = '*' AND level = -1 AND tier = '*'"
        for grain in ["d", "m"] {
            let open = try database.scalar(Int.self, "SELECT open_delta::int8 FROM analytics_ticket_margins WHERE grain = '\(grain)' AND \(overall)")
            #expect(open == 1)
            let receivedCount = try database.scalar(Int.self, "SELECT received::int8 FROM analytics_ticket_margins WHERE grain = '\(grain)' AND \(overall)")
            #expect(receivedCount == 3)
            let byDepartment = try database.scalar(
                Int.self, "SELECT received::int8 FROM analytics_ticket_margins WHERE grain = '\(grain)' AND department = 'rd' AND channel = '*'")
            #expect(byDepartment == 1)
            let escalations = try database.scalar(
                Int.self, "SELECT count::int8 FROM analytics_escalations WHERE grain = '\(grain)' AND department = '*' AND level = -1")
            #expect(escalations == 1)
        }
        // The trigger's verdict (written when the duplicate was marked) is counted once.
        #expect(try database.scalar(Int.self, "SELECT duplicates::int8 FROM analytics_verdict_counts WHERE grain = 'd'") == 1)
        #expect(try database.scalar(Bool.self, "SELECT counted FROM analytics_verdicts WHERE ticket_id = $1", [.int(duplicate)]))
        _ = unseen

        // What reports read now agrees with the cells.
        let period = try ReportPeriod.parse(received.description, timeZone: .gmt)
        let report = try ReportBuilder.build(period, filter: ReportFilter(), in: db)
        #expect(report.volumes.stillOpen.value == 1)
        #expect(report.volumes.duplicates.value == 1)
        let filtered = try ReportBuilder.build(period, filter: ReportFilter(department: "rd"), in: db)
        #expect(filtered.volumes.stillOpen.value == 1)
        #expect(filtered.volumes.received.value == 1)
    }
}
