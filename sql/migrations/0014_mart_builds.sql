-- 0014_mart_builds: what the warehouse knows about each mart's last build,
-- so a night rebuilds a mart whose SQL changed, leaves alone one whose
-- inputs did not change, and re-exports only marts whose rows changed.
CREATE TABLE meta.marts (
    mart VARCHAR NOT NULL PRIMARY KEY,
    definition_sha256 VARCHAR NOT NULL,
    maintained VARCHAR NOT NULL,
    built_run VARCHAR,
    built_how VARCHAR NOT NULL,
    changed_run VARCHAR,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
COMMENT ON TABLE meta.marts IS 'One row per mart of sql/marts: the definition it was last built from and the run that last changed its rows.';
COMMENT ON COLUMN meta.marts.mart IS 'Mart table name in schema marts.';
COMMENT ON COLUMN meta.marts.definition_sha256 IS 'SHA-256 of the mart''s SQL (sql/marts/NN_name.sql and sql/marts/touched/NN_name.sql) when it was last rebuilt; a different one on a later night rebuilds the mart from core.';
COMMENT ON COLUMN meta.marts.maintained IS 'incremental (a night recomputes only the groups its changes touch) or full (rebuilt whenever its inputs change).';
COMMENT ON COLUMN meta.marts.built_run IS 'Run that last built or updated the mart; NULL when built outside a run.';
COMMENT ON COLUMN meta.marts.built_how IS 'How built_run built it: rebuilt (from core in full) or groups (only the groups its changes touched).';
COMMENT ON COLUMN meta.marts.changed_run IS 'Run that last changed the mart''s rows; exports of a later run reuse the files that run wrote. NULL when built outside a run.';
COMMENT ON COLUMN meta.marts.updated_at IS 'When this row was last written (UTC).';
