extension Migration {
    /// Satisfaction survey links: one row per link the notifier sends with a resolved ticket, so
    /// that the producer accepts each link once (`used_at` is set in the answer's transaction).
    /// The token itself is not stored: its HMAC is the credential, its nonce the row's key.
    static let v010NotificationContent = Migration(
        version: 10,
        name: "notification_content",
        sql: """
            CREATE TABLE survey_links (
                -- The token's nonce (base64url).
                token_id text PRIMARY KEY,
                ticket_id bigint NOT NULL REFERENCES tickets (id),
                survey_id text NOT NULL,
                expires_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                used_at timestamptz,
                -- survey_responses.response_id of the answer given through the link.
                response_id text,
                CONSTRAINT survey_links_used_with_response CHECK ((used_at IS NULL) = (response_id IS NULL))
            );
            CREATE INDEX survey_links_ticket ON survey_links (ticket_id);
            """
    )
}
