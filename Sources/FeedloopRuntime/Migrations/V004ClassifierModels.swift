extension Migration {
    /// Trained classifier models, versioned; at most one is active, and the classifier workers
    /// poll for it so a newly activated model reaches every replica without a restart.
    static let v004ClassifierModels = Migration(
        version: 4,
        name: "classifier_models",
        sql: """
            CREATE TABLE classifier_models (
                version integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                trained_at timestamptz NOT NULL,
                training_file text NOT NULL,
                training_rows integer NOT NULL CHECK (training_rows >= 0),
                category_rows integer NOT NULL CHECK (category_rows >= 0),
                sentiment_rows integer NOT NULL CHECK (sentiment_rows >= 0),
                -- Held-out accuracy, macro-F1, per-class scores and confusion matrices, for listings.
                metrics jsonb NOT NULL,
                -- The serialized ClassifierModelSet (JSON with packed counts); read only on load.
                body bytea NOT NULL,
                active boolean NOT NULL DEFAULT false,
                activated_at timestamptz
            );
            -- At most one active model; also what makes the workers' poll an index lookup.
            CREATE UNIQUE INDEX classifier_models_one_active ON classifier_models (active) WHERE active;
            """
    )
}
