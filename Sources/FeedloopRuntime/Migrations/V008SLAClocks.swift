extension Migration {
    /// SLA clocks on business calendars: each clock keeps the working time it used, when its
    /// current run began (NULL while paused or stopped), its cycle (a reopened ticket's
    /// resolution clock is cycle 2) and one instant at which it next needs attention (a warning
    /// or a ladder step), which a single partial index serves. Escalations record their cycle,
    /// the assignee and why they fired; policy changes are recorded with the clocks they moved.
    static let v008SLAClocks = Migration(
        version: 8,
        name: "sla_clocks",
        sql: """
            ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_pkey;
            ALTER TABLE sla_clocks
                ADD COLUMN cycle int NOT NULL DEFAULT 1,
                ADD COLUMN calendar_id text NOT NULL DEFAULT '24x7',
                ADD COLUMN level smallint,
                ADD COLUMN customer_tier text,
                ADD COLUMN used_seconds double precision NOT NULL DEFAULT 0,
                ADD COLUMN running_since timestamptz,
                ADD COLUMN stopped_at timestamptz,
                ADD COLUMN changed_at timestamptz,
                ADD COLUMN breached_at timestamptz,
                ADD COLUMN warn_at timestamptz,
                ADD COLUMN warned_at timestamptz,
                ADD COLUMN next_fire_at timestamptz,
                ADD COLUMN last_action_id bigint NOT NULL DEFAULT 0,
                ADD COLUMN policy_hash text;
            ALTER TABLE sla_clocks ALTER COLUMN target_seconds TYPE double precision;
            -- NULL while the clock is paused or after it was met.
            ALTER TABLE sla_clocks ALTER COLUMN due_at DROP NOT NULL;
            -- Clocks written before calendars were wall-clock runs from their start.
            UPDATE sla_clocks SET
                running_since = CASE WHEN state IN ('running', 'breached') THEN started_at END,
                changed_at = started_at,
                breached_at = CASE WHEN state = 'breached' THEN due_at END,
                warned_at = CASE WHEN state = 'breached' THEN due_at END,
                next_fire_at = next_escalation_at;
            ALTER TABLE sla_clocks ADD PRIMARY KEY (ticket_id, metric, cycle);
            -- The escalator claims clocks whose warning or next ladder step is due from this
            -- index every scan (FOR UPDATE SKIP LOCKED, oldest first).
            DROP INDEX sla_clocks_next_escalation;
            CREATE INDEX sla_clocks_next_fire ON sla_clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;

            ALTER TABLE escalations DROP CONSTRAINT escalations_pkey;
            ALTER TABLE escalations
                ADD COLUMN cycle int NOT NULL DEFAULT 1,
                ADD COLUMN department text,
                ADD COLUMN assignee text,
                ADD COLUMN reason text;
            ALTER TABLE escalations ADD PRIMARY KEY (ticket_id, metric, cycle, step);

            -- Each time the escalator starts with different policies: what changed and how many
            -- open clocks got new due times.
            CREATE TABLE sla_policy_changes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                old_hash text,
                new_hash text NOT NULL,
                clocks_reevaluated bigint NOT NULL,
                -- The canonical text of the new policies (SLAConfiguration.fingerprint).
                policies text NOT NULL,
                changed_by text NOT NULL,
                changed_at timestamptz NOT NULL DEFAULT now()
            );
            """
    )
}
