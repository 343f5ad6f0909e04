extension Migration {
    /// Analytics rollups (docs/ANALYTICS.md): counters per day and per month keyed by the
    /// ticket's department, channel, category, sub-category, level and customer tier, updated
    /// additively from each event in the consume transaction, so that a report reads a few
    /// thousand rollup rows instead of the tickets. Duplicates have no event; a trigger records
    /// them (and classifier rejections) as the classifier's UPDATE commits.
    static let v011Analytics = Migration(
        version: 11,
        name: "analytics",
        sql: """
            -- The time zone whose local days the rollups are bucketed by; fixed once counting
            -- started (the analytics worker refuses another).
            CREATE TABLE analytics_settings (
                id boolean PRIMARY KEY DEFAULT true CHECK (id),
                time_zone text NOT NULL
            );
            INSERT INTO analytics_settings (time_zone) VALUES ('UTC');

            -- grain 'd': the day; grain 'm': the month, day = its first day. Every change is
            -- written at both grains, so a long period reads months and at most two partial
            -- months of days. Unknown dimensions are '' (level 0).
            CREATE TABLE analytics_ticket_counts (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                channel text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                subcategory text NOT NULL DEFAULT '',
                level smallint NOT NULL DEFAULT 0,
                tier text NOT NULL DEFAULT '',
                received bigint NOT NULL DEFAULT 0,
                classified bigint NOT NULL DEFAULT 0,
                resolved bigint NOT NULL DEFAULT 0,
                reopened bigint NOT NULL DEFAULT 0,
                closed bigint NOT NULL DEFAULT 0,
                escalated bigint NOT NULL DEFAULT 0,
                -- Tickets that became open (+1) or stopped being open (-1) that day.
                open_delta bigint NOT NULL DEFAULT 0,
                -- Clocks that became overdue (+1) or stopped while overdue (-1) that day.
                overdue_delta bigint NOT NULL DEFAULT 0,
                first_response_met bigint NOT NULL DEFAULT 0,
                first_response_breached bigint NOT NULL DEFAULT 0,
                plan_met bigint NOT NULL DEFAULT 0,
                plan_breached bigint NOT NULL DEFAULT 0,
                resolution_met bigint NOT NULL DEFAULT 0,
                resolution_breached bigint NOT NULL DEFAULT 0,
                first_response_warned bigint NOT NULL DEFAULT 0,
                plan_warned bigint NOT NULL DEFAULT 0,
                resolution_warned bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, channel, category, subcategory, level, tier)
            );

            -- Escalations per ladder step.
            CREATE TABLE analytics_escalations (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                channel text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                level smallint NOT NULL DEFAULT 0,
                tier text NOT NULL DEFAULT '',
                metric text NOT NULL,
                step int NOT NULL,
                count bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, channel, category, level, tier, metric, step)
            );

            -- Log-scale histograms of seconds from receipt to the first reply, first plan and
            -- each resolution (FeedloopCore DurationHistogram buckets). No channel: times
            -- follow department, level and tier, and the channel would multiply the rows by 8.
            CREATE TABLE analytics_durations (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                level smallint NOT NULL DEFAULT 0,
                tier text NOT NULL DEFAULT '',
                metric text NOT NULL,
                bucket smallint NOT NULL,
                count bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, category, level, tier, metric, bucket)
            );

            -- Keywords of classified tickets, by the day they were received.
            CREATE TABLE analytics_keywords (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                keyword text NOT NULL,
                count bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, category, keyword)
            );

            -- A few example tickets per day and problem ('category/subcategory') or keyword;
            -- the slot (ticket id mod 3) keeps at most three, whichever came first.
            CREATE TABLE analytics_examples (
                day date NOT NULL,
                kind text NOT NULL CHECK (kind IN ('problem', 'keyword')),
                key text NOT NULL,
                slot smallint NOT NULL,
                ticket_id bigint NOT NULL,
                PRIMARY KEY (day, kind, key, slot)
            );

            -- Survey answers: counts, flags, the overall score, NPS and the sums Cronbach's
            -- alpha needs (sum and sum of squares of each valid answer's dimension total).
            CREATE TABLE analytics_surveys (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                channel text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                level smallint NOT NULL DEFAULT 0,
                tier text NOT NULL DEFAULT '',
                survey_id text NOT NULL,
                answers bigint NOT NULL DEFAULT 0,
                invalid bigint NOT NULL DEFAULT 0,
                followups bigint NOT NULL DEFAULT 0,
                overall_high bigint NOT NULL DEFAULT 0,
                nps_answers bigint NOT NULL DEFAULT 0,
                promoters bigint NOT NULL DEFAULT 0,
                detractors bigint NOT NULL DEFAULT 0,
                total_sum double precision NOT NULL DEFAULT 0,
                total_squares double precision NOT NULL DEFAULT 0,
                too_fast bigint NOT NULL DEFAULT 0,
                straight_lining bigint NOT NULL DEFAULT 0,
                contradictory bigint NOT NULL DEFAULT 0,
                repeated bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, channel, category, level, tier, survey_id)
            );

            -- Per dimension of valid answers: n, sum and sum of squares of the 1-5 scores.
            CREATE TABLE analytics_survey_dimensions (
                grain "char" NOT NULL,
                day date NOT NULL,
                department text NOT NULL DEFAULT '',
                channel text NOT NULL DEFAULT '',
                category text NOT NULL DEFAULT '',
                level smallint NOT NULL DEFAULT 0,
                tier text NOT NULL DEFAULT '',
                survey_id text NOT NULL,
                dimension text NOT NULL,
                n bigint NOT NULL DEFAULT 0,
                sum double precision NOT NULL DEFAULT 0,
                squares double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, day, department, channel, category, level, tier, survey_id, dimension)
            );

            -- Each SLA clock's stop and breach as analytics saw them, so that a stop and a
            -- breach arriving in either order count the clock once, as met or breached.
            CREATE TABLE analytics_clocks (
                ticket_id bigint NOT NULL,
                metric text NOT NULL,
                cycle int NOT NULL,
                stopped_at timestamptz,
                breached_at timestamptz,
                PRIMARY KEY (ticket_id, metric, cycle)
            );

            -- Tickets the classifier marked duplicate or rejected (no event says so).
            CREATE TABLE analytics_verdicts (
                ticket_id bigint PRIMARY KEY,
                state text NOT NULL,
                day date NOT NULL,
                channel text NOT NULL DEFAULT '',
                tier text NOT NULL DEFAULT ''
            );
            CREATE INDEX analytics_verdicts_day ON analytics_verdicts (day);

            CREATE FUNCTION analytics_record_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO analytics_verdicts (ticket_id, state, day, channel, tier)
                SELECT NEW.id, NEW.state, (NEW.state_changed_at AT TIME ZONE s.time_zone)::date,
                       coalesce(NEW.channel, ''), coalesce(NEW.customer_tier, '')
                FROM analytics_settings s
                ON CONFLICT (ticket_id) DO NOTHING;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER tickets_analytics_verdict AFTER UPDATE OF state ON tickets
                FOR EACH ROW WHEN (NEW.state IN ('duplicate', 'rejected') AND OLD.state IS DISTINCT FROM NEW.state)
                EXECUTE FUNCTION analytics_record_verdict();
            """
    )
}
