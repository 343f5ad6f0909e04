extension Migration {
    /// Notification delivery over real channels: where each row goes and what it says (written
    /// by the notifier's content half), why a row is held or dead (written by its delivery
    /// half), and every attempt with its outcome, so an operator can see what happened to a
    /// message without reading logs (which never carry addresses).
    static let v009NotificationDelivery = Migration(
        version: 9,
        name: "notification_delivery",
        sql: """
            ALTER TABLE notifications
                -- Where the channel sends: email address, phone number, webhook URL (null: the
                -- channel's configured default). Personal data, never logged.
                ADD COLUMN address text,
                ADD COLUMN subject text,
                -- Email only; `body` stays the plain-text body.
                ADD COLUMN body_html text,
                ADD COLUMN locale text,
                -- Set with status 'dead': the last failure, or why retries stopped.
                ADD COLUMN dead_reason text,
                ADD COLUMN dead_at timestamptz,
                -- While next_attempt_at is a hold rather than a retry: 'quiet_hours' or 'rate_limit'.
                ADD COLUMN held_reason text;

            ALTER TABLE notifications
                ADD CONSTRAINT notifications_status_known CHECK (status IN ('pending', 'sent', 'dead')),
                ADD CONSTRAINT notifications_channel_known CHECK (channel IN ('email', 'webhook', 'sms', 'log'));

            CREATE INDEX notifications_dead ON notifications (dead_at) WHERE status = 'dead';
            -- The per-recipient rate limit counts what went to an address in the last minute.
            CREATE INDEX notifications_recent_sends ON notifications (channel, address, sent_at)
                WHERE status = 'sent' AND address IS NOT NULL;

            -- One row per delivery attempt. `attempt` counts within the current round: a replay
            -- of a dead row starts a new round at 1.
            CREATE TABLE notification_attempts (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                attempt int NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp(),
                channel text NOT NULL,
                outcome text NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
                -- HTTP status or SMTP reply code, when the other side answered.
                response_code int,
                detail text,
                duration_ms int
            );
            CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, id);
            """
    )
}
