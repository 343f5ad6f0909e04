import Postgres

/// Per-role record of handled message ids (ARCHITECTURE §3 rule 2).
enum Inbox {
    /// Records the ids for `consumer` in one statement and returns those not seen before.
    static func claim(consumer: String, messageIds: [String], in db: PostgresConnection) throws -> Set<String> {
        guard !messageIds.isEmpty else { return [] }
        let rows = try db.query(
            """
            INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::text[])
            ON CONFLICT DO NOTHING RETURNING message_id
            """,
            [.text(consumer), .textArray(messageIds)]
        )
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }
}
