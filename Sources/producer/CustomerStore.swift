import FeedloopCore
import Postgres

/// The `customers` table: one row per external reference, upserted with the tickets that name
/// the customer, in their transaction.
enum CustomerStore {
    /// A customer row as tickets refer to it.
    struct Stored {
        var id: Int64
        var tier: CustomerTier
    }

    /// Inserts or updates the customers of a batch with one statement; returns each one's row by
    /// reference. Values an item leaves out keep what the record holds; a reference named twice
    /// in a batch takes the later item's values. Rows are written in reference order, so
    /// concurrent batches naming the same customers lock them in the same order and cannot
    /// deadlock on them.
    static func upsert(_ customers: [FeedbackCustomer], in tx: PostgresConnection) throws -> [String: Stored] {
        var merged: [String: FeedbackCustomer] = [:]
        for customer in customers {
            guard let ref = customer.ref else { continue }
            var record = merged[ref] ?? FeedbackCustomer(ref: ref)
            record.tier = customer.tier ?? record.tier
            record.name = customer.name ?? record.name
            record.phone = customer.phone ?? record.phone
            record.email = customer.email ?? record.email
            record.locale = customer.locale ?? record.locale
            merged[ref] = record
        }
        guard !merged.isEmpty else { return [:] }
        let input = merged.values.sorted { $0.ref! < $1.ref! }
        func column(_ value: (FeedbackCustomer) -> String?) -> PostgresBind { .textArray(input.map { value($0) ?? "" }) }
        let rows = try tx.query(
            """
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                    WITH ORDINALITY AS u(ref, tier, name, phone, email, locale, ord)
            )
            INSERT INTO customers AS c (external_ref, tier, name, phone, email, locale)
            SELECT ref, coalesce(nullif(tier, ''), 'regular'), nullif(name, ''), nullif(phone, ''), nullif(email, ''), nullif(locale, '')
            FROM input ORDER BY ord
            ON CONFLICT (external_ref) DO UPDATE SET
                tier = coalesce((SELECT nullif(i.tier, '') FROM input i WHERE i.ref = excluded.external_ref), c.tier),
                name = coalesce(excluded.name, c.name),
                phone = coalesce(excluded.phone, c.phone),
                email = coalesce(excluded.email, c.email),
                locale = coalesce(excluded.locale, c.locale),
                updated_at = now()
            RETURNING external_ref, id, tier
            """,
            [
                column(\.ref), column { $0.tier?.rawValue }, column(\.name), column(\.phone), column(\.email), column(\.locale),
            ]
        )
        var stored: [String: Stored] = [:]
        for row in rows {
            let tierText = try row.decode(String.self, at: 2)
            stored[try row.decode(String.self, at: 0)] = Stored(id: try row.decode(Int64.self, at: 1), tier: CustomerTier(rawValue: tierText) ?? .regular)
        }
        return stored
    }
}
