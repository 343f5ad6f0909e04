extension Migration {
    /// The classifier searches the incident-key index once per item of a batch, right after
    /// its own updates added keys. With GIN's fast update those keys wait in a pending list
    /// that every search reads in full (up to 4 MB), which made the per-item searches cost more
    /// than the one batch-wide search they replace. Keys now go straight into the index; the
    /// pending list left from before is merged.
    static let v013IncidentKeysIndex = Migration(
        version: 13,
        name: "incident_keys_index",
        sql: """
            ALTER INDEX tickets_incident_keys SET (fastupdate = off);
            SELECT gin_clean_pending_list('tickets_incident_keys');
            """
    )
}
