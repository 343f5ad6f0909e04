import FeedloopCore
import Foundation
import Postgres

/// Finds incidents: at least `incidentMinCustomers` distinct customers with complaints of the
/// same category and sub-category whose texts are within `incidentMaxDistance` SimHash bits,
/// all within `incidentWindow`.
///
/// Similar tickets are found through their incident keys — each SimHash band hashed with the
/// category, sub-category and the window-sized time bucket — all items of a batch in one
/// statement (``neighbourSearch``), so the cost follows the matches, not the volume of the
/// window, and an incident's members cost one hit however many there are.
/// An item looks up the keys of its own bucket and of the one before, which covers the window.
/// An item joins the incident of a member it reaches (the newest such incident among the
/// earlier items of its batch and the member found in the store).
///
/// When a cluster reaches the threshold an `incidents` row is opened and every member found is
/// linked to it; the item that completed it and every later member get level 1 by the rule
/// `incident`. Members classified before that keep the level they were published with (their
/// clocks already run), and are linked for reports.
struct IncidentFinder {
    let rules: LevelRules

    /// A similar, already classified ticket.
    struct Neighbour {
        var id: Int64
        var customerKey: String
        var simhash: SimHash
        var receivedAt: Date
        var incident: Int64?
    }

    /// Incidents this batch opened, keyed by placeholder (negative) id, and stored members to link.
    struct Outcome {
        var opened: [(placeholder: Int64, item: Int, members: [Int64])] = []
    }

    func keys(category: Category, subcategory: String?, simhash: SimHash, bucket: Int64) -> [Int64] {
        simhash.bands.map { band in
            Int64(bitPattern: SimHash.stableHash("\(category.rawValue)|\(subcategory ?? "")|\(bucket)|\(band)"))
        }
    }

    func bucket(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / max(1, self.rules.incidentWindow.seconds)).rounded(.down))
    }

    /// The neighbours of each searched item (`$1`, with its SimHash `$2` and arrival `$3`; `$4`
    /// holds 16 keys per item: the 8 bands of its own time bucket, then of the one before):
    /// every neighbour outside an incident, and one incident member if there is any. Members
    /// are searched band by band through B-tree indexes (migration 15) that stop at the first
    /// one within reach, so an item of an incident storm costs a few index probes rather than a
    /// fetch of every member; GIN, which cannot stop early, holds only tickets outside any
    /// incident. GIN checks each matching row against every key of its search, so each item
    /// searches with its own 16 keys, all items in this one statement. The distance and the
    /// window are tested here as well as in `cluster`, so that only true neighbours leave the
    /// server; the batch's own tickets (`$7`) are compared in `cluster`, in arrival order. The
    /// planner estimates that `&&` matches a large share of the table and would scan all of it
    /// for each item; this statement (and only this one) is told not to.
    static let neighbourSearch: String = {
        let reach = """
            t.received_at BETWEEN to_timestamp((s.at_ms - $5 - 1) / 1000.0) AND to_timestamp((s.at_ms + 1) / 1000.0)
                AND bit_count((t.simhash # s.simhash)::bit(64)) <= $6 AND t.id <> ALL($7::int8[])
            """
        let columns = "t.id, coalesce(t.customer_ref, 'ticket:' || t.id) AS customer, t.simhash, t.received_at, t.incident_id"
        let memberByBand = (1...SimHash.bandCount).map { band in
            """
            (SELECT \(columns) FROM tickets t
                WHERE t.incident_id IS NOT NULL AND t.incident_keys[\(band)] IN (s.keys[\(band)], s.keys[\(band + SimHash.bandCount)]) AND \(reach)
                LIMIT 1)
            """
        }
        return """
            WITH s AS MATERIALIZED (
                SELECT n, simhash, at_ms, ($4::int8[])[(o - 1) * \(2 * SimHash.bandCount) + 1 : o * \(2 * SimHash.bandCount)] AS keys
                FROM unnest($1::int8[], $2::int8[], $3::int8[]) WITH ORDINALITY AS u(n, simhash, at_ms, o)
            )
            SELECT s.n, t.* FROM s CROSS JOIN LATERAL (
                SELECT \(columns) FROM tickets t WHERE t.incident_keys && s.keys AND t.incident_id IS NULL AND \(reach)
            ) t
            UNION ALL
            SELECT s.n, m.* FROM s CROSS JOIN LATERAL (SELECT * FROM (\(memberByBand.joined(separator: " UNION ALL "))) b LIMIT 1) m
            """
    }()

    /// Sets incident keys and incidents on classified items (in arrival order) and regrades them.
    func cluster(_ items: inout [BatchItem], in db: PostgresConnection) throws -> Outcome {
        let window = self.rules.incidentWindow.seconds
        var searched: [Int] = []
        var lookupKeys: [Int64] = []
        for i in items.indices {
            guard let c = items[i].classification, self.rules.mayFormIncident(c.category) else { continue }
            let bucket = self.bucket(of: items[i].receivedAt)
            items[i].incidentKeys = self.keys(category: c.category, subcategory: c.subcategory, simhash: items[i].simhash, bucket: bucket)
            lookupKeys += items[i].incidentKeys + self.keys(category: c.category, subcategory: c.subcategory, simhash: items[i].simhash, bucket: bucket - 1)
            searched.append(i)
        }
        guard !searched.isEmpty else { return Outcome() }
        try db.query("SELECT set_config('enable_seqscan', 'off', true)")
        defer { _ = try? db.query("SELECT set_config('enable_seqscan', 'on', true)") }
        let rows = try db.query(
            Self.neighbourSearch,
            [
                .intArray(searched.map(Int64.init)), .intArray(searched.map { items[$0].simhash.bitPattern }),
                .intArray(searched.map { items[$0].receivedAt.milliseconds }), .intArray(lookupKeys),
                .int(Int64((window * 1000).rounded())), .int(Int64(self.rules.incidentMaxDistance)), .intArray(items.map(\.ticketId)),
            ])
        var candidates: [Int: [Neighbour]] = [:]
        for row in rows {
            candidates[Int(try row.decode(Int64.self, at: 0)), default: []].append(
                Neighbour(
                    id: try row.decode(Int64.self, at: 1), customerKey: try row.decode(String.self, at: 2),
                    simhash: SimHash(bitPattern: try row.decode(Int64.self, at: 3)), receivedAt: try row.decode(Date.self, at: 4),
                    incident: try row.decode(Int64?.self, at: 5)))
        }

        var outcome = Outcome()
        var nextPlaceholder: Int64 = -1
        for i in items.indices {
            guard let c = items[i].classification, !items[i].incidentKeys.isEmpty else { continue }
            let item = items[i]
            let inWindow = { (at: Date) in at <= item.receivedAt && at >= item.receivedAt.addingTimeInterval(-window) }
            var neighbours = (candidates[i] ?? []).filter { inWindow($0.receivedAt) && $0.simhash.distance(to: item.simhash) <= self.rules.incidentMaxDistance }
            // Earlier items of this batch count as well.
            for j in items.indices.prefix(i) {
                guard let other = items[j].classification, other.category == c.category, other.subcategory == c.subcategory,
                    !items[j].incidentKeys.isEmpty, inWindow(items[j].receivedAt),
                    items[j].simhash.distance(to: item.simhash) <= self.rules.incidentMaxDistance
                else { continue }
                neighbours.append(
                    Neighbour(
                        id: items[j].ticketId, customerKey: items[j].customerKey, simhash: items[j].simhash, receivedAt: items[j].receivedAt,
                        incident: items[j].incident))
            }
            if let existing = neighbours.compactMap(\.incident).max() {
                items[i].incident = existing
            } else {
                let customers = Set(neighbours.map(\.customerKey) + [item.customerKey])
                guard customers.count >= self.rules.incidentMinCustomers else { continue }
                items[i].incident = nextPlaceholder
                let batchIDs = Dictionary(uniqueKeysWithValues: items.indices.prefix(i).map { (items[$0].ticketId, $0) })
                var stored: [Int64] = []
                for n in neighbours {
                    if let j = batchIDs[n.id] { items[j].incident = nextPlaceholder } else { stored.append(n.id) }
                }
                outcome.opened.append((nextPlaceholder, i, stored))
                nextPlaceholder -= 1
            }
            items[i].classification = self.rules.regraded(c, isIncident: true)
        }
        return outcome
    }

    /// Inserts the incidents a batch opened and links their stored members; returns the ids
    /// that replace the placeholders.
    func open(_ outcome: Outcome, items: [BatchItem], in db: PostgresConnection) throws -> [Int64: Int64] {
        guard !outcome.opened.isEmpty else { return [:] }
        let rows = try db.query(
            """
            INSERT INTO incidents (category, subcategory, opened_by_ticket_id, first_received_at, last_received_at, tickets, customers)
            SELECT u.category, nullif(u.subcategory, ''), u.ticket, to_timestamp(u.at_ms / 1000.0), to_timestamp(u.at_ms / 1000.0), 0, 0
            FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[]) WITH ORDINALITY AS u(category, subcategory, ticket, at_ms, n)
            ORDER BY u.n
            RETURNING id
            """,
            [
                .textArray(outcome.opened.map { items[$0.item].classification!.category.rawValue }),
                .textArray(outcome.opened.map { items[$0.item].classification!.subcategory ?? "" }),
                .intArray(outcome.opened.map { items[$0.item].ticketId }),
                .intArray(outcome.opened.map { items[$0.item].receivedAt.milliseconds }),
            ]
        )
        // Identity values follow the insertion order of one INSERT … SELECT … ORDER BY.
        let ids = try rows.map { try $0.decode(Int64.self, at: 0) }.sorted()
        var resolved: [Int64: Int64] = [:]
        var memberIDs: [Int64] = []
        var memberIncidents: [Int64] = []
        for (opened, id) in zip(outcome.opened, ids) {
            resolved[opened.placeholder] = id
            memberIDs += opened.members
            memberIncidents += Array(repeating: id, count: opened.members.count)
        }
        if !memberIDs.isEmpty {
            try db.query(
                """
                UPDATE tickets t SET incident_id = u.incident FROM unnest($1::int8[], $2::int8[]) AS u(id, incident)
                WHERE t.id = u.id AND t.incident_id IS NULL
                """,
                [.intArray(memberIDs), .intArray(memberIncidents)]
            )
        }
        return resolved
    }

    /// Recounts the tickets, customers and time span of incidents that gained members.
    func refresh(_ incidents: Set<Int64>, in db: PostgresConnection) throws {
        guard !incidents.isEmpty else { return }
        try db.query(
            """
            UPDATE incidents i SET tickets = s.tickets, customers = s.customers, first_received_at = s.first_at, last_received_at = s.last_at
            FROM (
                SELECT incident_id, count(*) AS tickets, count(DISTINCT coalesce(customer_ref, 'ticket:' || id)) AS customers,
                    min(received_at) AS first_at, max(received_at) AS last_at
                FROM tickets WHERE incident_id = ANY($1::int8[]) GROUP BY incident_id
            ) s
            WHERE i.id = s.incident_id
            """,
            [.intArray(Array(incidents))]
        )
    }
}
