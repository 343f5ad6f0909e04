extension Migration {
    /// Near-duplicate fingerprints, duplicate links, incident clusters and the classifier's
    /// review fields on tickets (docs/TAXONOMY.md explains the lookups these indexes serve).
    static let v005DuplicatesIncidents = Migration(
        version: 5,
        name: "duplicates_incidents",
        sql: """
            -- Many customers reporting the same problem within a short window.
            CREATE TABLE incidents (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                category text NOT NULL,
                subcategory text,
                -- The ticket whose arrival made the cluster reach the threshold.
                opened_by_ticket_id bigint NOT NULL,
                first_received_at timestamptz NOT NULL,
                last_received_at timestamptz NOT NULL,
                tickets int NOT NULL,
                customers int NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX incidents_recent ON incidents (last_received_at);

            ALTER TABLE tickets
                -- 64-bit SimHash of the text (FeedloopCore SimHash), stored as a signed bigint.
                ADD COLUMN simhash bigint,
                -- Band keys of the SimHash, hashed with category, sub-category and time bucket,
                -- for tickets that may join an incident; a GIN lookup finds similar recent
                -- tickets of the same problem without scanning the window.
                ADD COLUMN incident_keys bigint[],
                ADD COLUMN duplicate_of bigint REFERENCES tickets (id),
                ADD COLUMN incident_id bigint REFERENCES incidents (id),
                ADD COLUMN needs_review boolean NOT NULL DEFAULT false,
                ADD COLUMN confidence real,
                ADD COLUMN model_version int,
                ADD COLUMN suggested_category text;

            -- The same customer's recent tickets: the duplicate check, one query per batch.
            CREATE INDEX tickets_customer_ref_received ON tickets (customer_ref, received_at)
                WHERE customer_ref IS NOT NULL;
            CREATE INDEX tickets_incident_keys ON tickets USING gin (incident_keys)
                WHERE incident_keys IS NOT NULL;
            CREATE INDEX tickets_incident ON tickets (incident_id) WHERE incident_id IS NOT NULL;
            CREATE INDEX tickets_duplicate_of ON tickets (duplicate_of) WHERE duplicate_of IS NOT NULL;
            CREATE INDEX tickets_needs_review ON tickets (received_at) WHERE needs_review;
            """
    )
}
