extension Migration {
    /// Survey answers with their validity flags (docs/SURVEYS.md).
    static let v003Surveys = Migration(
        version: 3,
        name: "surveys",
        sql: """
            -- Every structurally valid answer, flagged or not: implausible answers are kept
            -- with their reasons, and statistics count only rows WHERE valid.
            CREATE TABLE survey_responses (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                survey_id text NOT NULL,
                -- The client's id for the answer (or one the producer drew): a retry with the
                -- same id returns the stored answer.
                response_id text NOT NULL,
                ticket_id bigint REFERENCES tickets (id),
                respondent text NOT NULL,
                -- Dimension id -> 1..5.
                scores jsonb NOT NULL,
                overall smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
                nps smallint CHECK (nps BETWEEN 0 AND 10),
                comment text,
                started_at timestamptz NOT NULL,
                submitted_at timestamptz NOT NULL,
                duration_ms bigint NOT NULL,
                -- too_fast, straight_lining, contradictory, repeat; each once.
                flags text[] NOT NULL DEFAULT '{}',
                -- [{"flag": ..., "reason": ...}], one entry per finding (one per contradiction rule).
                flag_reasons jsonb NOT NULL DEFAULT '[]',
                valid boolean NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT survey_responses_response_id UNIQUE (survey_id, response_id),
                CONSTRAINT survey_responses_valid_iff_unflagged CHECK (valid = (cardinality(flags) = 0))
            );
            -- Reports: answers of one survey over a period.
            CREATE INDEX survey_responses_survey_time ON survey_responses (survey_id, submitted_at);
            -- A ticket's follow-up answers.
            CREATE INDEX survey_responses_ticket ON survey_responses (ticket_id) WHERE ticket_id IS NOT NULL;
            -- The repeat check: earlier answers of one respondent to one survey (and ticket).
            CREATE INDEX survey_responses_respondent ON survey_responses (survey_id, respondent, ticket_id);
            """
    )
}
