extension Migration {
    /// Reports without a filter read margins instead of cells, duplicates and rejections are
    /// counted per day instead of per ticket, and "still open" counts classified tickets only
    /// (docs/ANALYTICS.md "Rollups"). Over ten million tickets a report read tens of thousands
    /// of cells and counted every verdict up to its end; it now reads a few hundred rows.
    static let v012AnalyticsMargins = Migration(
        version: 12,
        name: "analytics margins",
        sql: """
            -- "Still open" now starts at classification (the ticket's move to open), so that
            -- duplicates and rejections never count as open. Take back the +1 each received
            -- ticket got at receipt where its classification has not moved it yet: every
            -- ticket whose receipt the analytics worker counted and whose classification it
            -- has not.
            UPDATE analytics_ticket_counts c SET open_delta = c.open_delta - x.n
            FROM (
                SELECT g.grain, CASE g.grain WHEN 'm' THEN date_trunc('month', u.day)::date ELSE u.day END AS day, u.channel, u.tier, count(*) AS n
                FROM (
                    SELECT (t.received_at AT TIME ZONE s.time_zone)::date AS day, t.channel, coalesce(t.customer_tier, '') AS tier
                    FROM tickets t CROSS JOIN analytics_settings s
                    WHERE EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = 'analytics' AND i.message_id = 'feedback.received/' || t.id)
                      AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = 'analytics' AND i.message_id = 'ticket.classified/' || t.id)
                ) u CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
                GROUP BY 1, 2, 3, 4
            ) x
            WHERE c.grain = x.grain AND c.day = x.day AND c.department = '' AND c.channel = x.channel AND c.category = ''
              AND c.subcategory = '' AND c.level = 0 AND c.tier = x.tier;

            -- The margins of analytics_ticket_counts that an unfiltered report reads: overall
            -- (every dimension '*', level -1), per department, channel, category, level and
            -- tier (the others '*'), and per problem (category and sub-category). Written with
            -- the cells, in the same upsert. The other rollups get an overall row per key in
            -- their own table ('*' never equals a filter's value). TicketMargins.rebuildSQL
            -- fills both from the rows there are.
            CREATE TABLE analytics_ticket_margins (LIKE analytics_ticket_counts INCLUDING DEFAULTS);
            ALTER TABLE analytics_ticket_margins ADD PRIMARY KEY (grain, day, department, channel, category, subcategory, level, tier);
            """ + TicketMargins.rebuildSQL + """

                -- Duplicates and rejections per day, channel and tier. The classifier's trigger
                -- still writes one verdict per ticket (no lock shared between classifier
                -- replicas); the analytics worker folds uncounted verdicts into these counts in its
                -- batches, and a report adds those not folded yet.
                CREATE TABLE analytics_verdict_counts (
                    grain "char" NOT NULL,
                    day date NOT NULL,
                    channel text NOT NULL,
                    tier text NOT NULL,
                    duplicates bigint NOT NULL DEFAULT 0,
                    rejected bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (grain, day, channel, tier)
                );
                ALTER TABLE analytics_verdicts ADD COLUMN counted boolean NOT NULL DEFAULT true;
                ALTER TABLE analytics_verdicts ALTER COLUMN counted SET DEFAULT false;
                CREATE INDEX analytics_verdicts_uncounted ON analytics_verdicts (ticket_id) WHERE NOT counted;
                INSERT INTO analytics_verdict_counts
                SELECT g.grain, CASE g.grain WHEN 'm' THEN date_trunc('month', v.day)::date ELSE v.day END, v.channel, v.tier,
                       count(*) FILTER (WHERE v.state = 'duplicate'), count(*) FILTER (WHERE v.state = 'rejected')
                FROM analytics_verdicts v CROSS JOIN (VALUES ('d'::"char"), ('m'::"char")) g(grain)
                GROUP BY 1, 2, 3, 4;
                """
    )
}
