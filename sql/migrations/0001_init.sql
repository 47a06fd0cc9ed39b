-- 0001_init: the schemas, the run bookkeeping in meta, and one core table per
-- dataset. Core tables hold exactly the columns of pipeline.TypedSchema, in
-- the same order, so a typed Arrow batch stages with SELECT * and no mapping,
-- followed by three bookkeeping columns.
--
-- Timestamps are TIMESTAMPTZ: an Arrow timestamp[us, UTC] arrives in DuckDB as
-- TIMESTAMP WITH TIME ZONE, so storing that type needs no cast. A cast to
-- naive TIMESTAMP would depend on the session's TimeZone setting, which is
-- exactly the kind of silent shift "Timestamps are UTC" forbids.

CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS meta;

-- The migration runner reads this table before it knows which migrations ran,
-- so it may already exist when 0001 runs.
CREATE TABLE IF NOT EXISTS meta.schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.schema_migrations IS 'Schema migrations applied to this warehouse, one row per sql/migrations file.';
COMMENT ON COLUMN meta.schema_migrations.version IS 'Migration number, the numeric prefix of its file name.';
COMMENT ON COLUMN meta.schema_migrations.name IS 'Migration file name.';
COMMENT ON COLUMN meta.schema_migrations.applied_at IS 'When the migration was applied (UTC).';

CREATE TABLE meta.runs (
    run_id      VARCHAR PRIMARY KEY,
    pipeline    VARCHAR,
    config      VARCHAR,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,
    error       VARCHAR,
    extracted   BIGINT,
    loaded      BIGINT,
    rejected    BIGINT,
    duplicates  BIGINT
);
COMMENT ON TABLE meta.runs IS 'One row per pipeline run. A run reconciles when extracted = loaded + rejected + duplicates.';
COMMENT ON COLUMN meta.runs.run_id IS 'Unique run identifier.';
COMMENT ON COLUMN meta.runs.pipeline IS 'Name of the pipeline that ran.';
COMMENT ON COLUMN meta.runs.config IS 'Config file path, or "demo" for the built-in demo.';
COMMENT ON COLUMN meta.runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN meta.runs.finished_at IS 'When the run finished (UTC); NULL while it is running or if it crashed.';
COMMENT ON COLUMN meta.runs.status IS 'running, ok, failed or interrupted.';
COMMENT ON COLUMN meta.runs.error IS 'Why the run failed; NULL when it did not.';
COMMENT ON COLUMN meta.runs.extracted IS 'Records extracted over all steps.';
COMMENT ON COLUMN meta.runs.loaded IS 'Distinct natural keys merged into core over all steps.';
COMMENT ON COLUMN meta.runs.rejected IS 'Records rejected over all steps (see meta.rejects).';
COMMENT ON COLUMN meta.runs.duplicates IS 'Repeated records and older versions collapsed over all steps.';

CREATE TABLE meta.run_steps (
    run_id      VARCHAR NOT NULL,
    dataset     VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    extracted   BIGINT,
    loaded      BIGINT,
    rejected    BIGINT,
    duplicates  BIGINT,
    inserted    BIGINT,
    updated     BIGINT,
    requests    BIGINT,
    retries     BIGINT,
    status_429  BIGINT,
    bytes       BIGINT,
    pages       BIGINT,
    duration_ms BIGINT,
    error       VARCHAR
);
COMMENT ON TABLE meta.run_steps IS 'One row per run, dataset and source: what was extracted, rejected and merged, and how the source behaved.';
COMMENT ON COLUMN meta.run_steps.run_id IS 'Run this step belongs to (meta.runs.run_id).';
COMMENT ON COLUMN meta.run_steps.dataset IS 'Dataset loaded: listings, sellers, sailings, freight_rates or fx_rates.';
COMMENT ON COLUMN meta.run_steps.source IS 'Name of the configured source.';
COMMENT ON COLUMN meta.run_steps.extracted IS 'Records the extractor produced.';
COMMENT ON COLUMN meta.run_steps.loaded IS 'Distinct natural keys merged into core.';
COMMENT ON COLUMN meta.run_steps.rejected IS 'Records rejected by the transforms.';
COMMENT ON COLUMN meta.run_steps.duplicates IS 'Repeated records and older versions collapsed.';
COMMENT ON COLUMN meta.run_steps.inserted IS 'Natural keys new to core.';
COMMENT ON COLUMN meta.run_steps.updated IS 'Existing natural keys whose row changed.';
COMMENT ON COLUMN meta.run_steps.requests IS 'HTTP requests made (0 for file sources).';
COMMENT ON COLUMN meta.run_steps.retries IS 'HTTP requests retried.';
COMMENT ON COLUMN meta.run_steps.status_429 IS 'HTTP 429 (rate limited) responses received.';
COMMENT ON COLUMN meta.run_steps.bytes IS 'Bytes read from the source.';
COMMENT ON COLUMN meta.run_steps.pages IS 'Pages fetched from the source.';
COMMENT ON COLUMN meta.run_steps.duration_ms IS 'Wall time of the step in milliseconds.';
COMMENT ON COLUMN meta.run_steps.error IS 'Why the step failed; NULL when it did not.';

CREATE TABLE meta.rejects (
    run_id      VARCHAR NOT NULL,
    dataset     VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    record_key  VARCHAR,
    field       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    raw         VARCHAR NOT NULL,
    rejected_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.rejects IS 'Every record that was not loaded, with its raw content and why, so nothing is lost silently.';
COMMENT ON COLUMN meta.rejects.run_id IS 'Run that rejected the record.';
COMMENT ON COLUMN meta.rejects.dataset IS 'Dataset the record belonged to.';
COMMENT ON COLUMN meta.rejects.source IS 'Source the record came from.';
COMMENT ON COLUMN meta.rejects.record_key IS 'Natural key as text, when it could be read.';
COMMENT ON COLUMN meta.rejects.field IS 'Raw field that failed validation; empty for whole-record problems.';
COMMENT ON COLUMN meta.rejects.reason IS 'Why the record was rejected.';
COMMENT ON COLUMN meta.rejects.raw IS 'The record exactly as the source sent it (JSON).';
COMMENT ON COLUMN meta.rejects.rejected_at IS 'When the reject was committed (UTC).';

CREATE TABLE meta.state (
    key        VARCHAR PRIMARY KEY,
    value      VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.state IS 'Incremental cursors, committed in the same transaction as the data they describe.';
COMMENT ON COLUMN meta.state.key IS 'Cursor name, typically the source name.';
COMMENT ON COLUMN meta.state.value IS 'Opaque cursor value the source resumes from.';
COMMENT ON COLUMN meta.state.run_id IS 'Run that last saved the cursor.';
COMMENT ON COLUMN meta.state.updated_at IS 'When the cursor was last saved (UTC).';

CREATE TABLE meta.data_tests (
    run_id     VARCHAR NOT NULL,
    test       VARCHAR NOT NULL,
    failures   BIGINT NOT NULL,
    passed     BOOLEAN NOT NULL,
    checked_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.data_tests IS 'Results of the data tests in sql/tests, one row per run and test.';
COMMENT ON COLUMN meta.data_tests.run_id IS 'Run that executed the test.';
COMMENT ON COLUMN meta.data_tests.test IS 'Test name, the file name in sql/tests without .sql.';
COMMENT ON COLUMN meta.data_tests.failures IS 'Rows that violated the test.';
COMMENT ON COLUMN meta.data_tests.passed IS 'True when no row violated the test.';
COMMENT ON COLUMN meta.data_tests.checked_at IS 'When the test ran (UTC).';
