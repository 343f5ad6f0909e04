extension Migration {
    /// Import runs: how far `feedloop-producer import` got in each file, committed in the same
    /// transaction as the rows of every batch, so an interrupted import resumes exactly after
    /// its last committed batch.
    static let v006Imports = Migration(
        version: 6,
        name: "imports",
        sql: """
            CREATE TABLE import_runs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                -- SHA-256 (hex) of the file's size, first MiB and last MiB: the same file under
                -- another name or path is the same import; an edited or appended file is new.
                fingerprint text NOT NULL UNIQUE,
                path text NOT NULL,
                size_bytes bigint NOT NULL,
                format text NOT NULL,
                -- The --map and --channel options; a resume with other options is refused.
                options text NOT NULL,
                -- Where the next batch starts: the byte after the last committed record, and the
                -- lines up to there.
                byte_offset bigint NOT NULL DEFAULT 0,
                line bigint NOT NULL DEFAULT 0,
                imported bigint NOT NULL DEFAULT 0,
                duplicates bigint NOT NULL DEFAULT 0,
                rejected bigint NOT NULL DEFAULT 0,
                -- Length of the rejects file at the last commit; a resume truncates it there.
                rejects_path text,
                rejects_bytes bigint NOT NULL DEFAULT 0,
                started_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz
            );
            """
    )
}
