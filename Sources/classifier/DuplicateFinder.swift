import FeedloopCore
import Foundation
import Postgres

/// Marks items that repeat the same customer's earlier ticket (near-identical text within the
/// window): one query per batch over `(customer_ref, received_at)`, then the earlier tickets
/// of this batch, so two copies in one batch are caught too.
struct DuplicateFinder {
    let rules: DuplicateRules

    /// Sets ``BatchItem/duplicateOf`` on repeats; `items` must be in arrival order.
    func markDuplicates(_ items: inout [BatchItem], in db: PostgresConnection) throws {
        let window = self.rules.window.seconds
        var spans: [String: (from: Date, to: Date)] = [:]
        for item in items {
            guard let ref = item.customerRef else { continue }
            let from = item.receivedAt.addingTimeInterval(-window)
            let span = spans[ref]
            spans[ref] = (min(span?.from ?? from, from), max(span?.to ?? item.receivedAt, item.receivedAt))
        }
        guard !spans.isEmpty else { return }
        let refs = Array(spans.keys)
        // Earlier tickets of these customers that were worked (a duplicate links to the first,
        // never to another duplicate); the batch's own tickets are compared below.
        let rows = try db.query(
            """
            SELECT t.id, t.customer_ref, t.simhash, t.received_at
            FROM unnest($1::text[], $2::int8[], $3::int8[]) AS u(ref, from_ms, to_ms)
            JOIN tickets t ON t.customer_ref = u.ref
                AND t.received_at BETWEEN to_timestamp((u.from_ms - 1) / 1000.0) AND to_timestamp((u.to_ms + 1) / 1000.0)
            WHERE t.simhash IS NOT NULL AND t.state <> 'duplicate' AND t.id <> ALL($4::int8[])
            """,
            [
                .textArray(refs), .intArray(refs.map { spans[$0]!.from.milliseconds }),
                .intArray(refs.map { spans[$0]!.to.milliseconds }), .intArray(items.map(\.ticketId)),
            ]
        )
        var earlier: [String: [(id: Int64, simhash: SimHash, at: Date)]] = [:]
        for row in rows {
            let ref = try row.decode(String.self, at: 1)
            earlier[ref, default: []].append(
                (try row.decode(Int64.self, at: 0), SimHash(bitPattern: try row.decode(Int64.self, at: 2)), try row.decode(Date.self, at: 3)))
        }
        for i in items.indices {
            guard let ref = items[i].customerRef else { continue }
            let item = items[i]
            let first =
                (earlier[ref] ?? [])
                .filter { $0.at <= item.receivedAt && $0.at >= item.receivedAt.addingTimeInterval(-window) }
                .filter { self.rules.isDuplicate(item.simhash, of: $0.simhash) }
                .min { ($0.at, $0.id) < ($1.at, $1.id) }
            if let first {
                items[i].duplicateOf = first.id
            } else {
                // Not a repeat: later items of this batch may repeat it.
                earlier[ref, default: []].append((item.ticketId, item.simhash, item.receivedAt))
            }
        }
    }
}

extension Duration {
    /// Whole and fractional seconds.
    var seconds: TimeInterval {
        let (s, atto) = self.components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}

extension Date {
    /// Milliseconds since 1970, how batches pass times to `unnest`.
    var milliseconds: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }
}
