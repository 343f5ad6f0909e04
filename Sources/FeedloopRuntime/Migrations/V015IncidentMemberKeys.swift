extension Migration {
    /// During an incident storm thousands of recent tickets share an item's incident keys, and
    /// the one GIN search fetched every one of them for each item (20 ms an item at 10,000
    /// members). A GIN scan cannot stop early; a B-tree scan can. So incident members are found
    /// per SimHash band through B-tree indexes on `incident_keys[band]`, where the classifier
    /// stops at the first member within reach. The GIN index keeps only tickets outside any
    /// incident, the ones that may still form one. `incident_keys[1…8]` are the bands of the
    /// ticket's own time bucket, in band order (IncidentFinder).
    static let v015IncidentMemberKeys = Migration(
        version: 15,
        name: "incident_member_keys",
        sql: """
            DROP INDEX tickets_incident_keys;
            CREATE INDEX tickets_incident_keys ON tickets USING gin (incident_keys) WITH (fastupdate = off)
                WHERE incident_keys IS NOT NULL AND incident_id IS NULL;
            """
                + (1...8).map { band in
                    """

                    CREATE INDEX tickets_incident_band\(band) ON tickets ((incident_keys[\(band)]), received_at)
                        WHERE incident_id IS NOT NULL;
                    """
                }.joined()
    )
}
