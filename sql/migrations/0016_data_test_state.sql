-- 0016_data_test_state: the last result of each data test that read the
-- whole warehouse, written inside the night's transaction, so only a
-- committed night's result is kept. A later night that changed nothing the
-- test reads, with the same test and thresholds, carries it forward instead
-- of reading everything again.
CREATE TABLE meta.data_test_state (
    test VARCHAR NOT NULL PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    failures BIGINT NOT NULL,
    examples VARCHAR,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
COMMENT ON TABLE meta.data_test_state IS 'The last committed full result of each data test (sql/tests), which a night that changed none of its inputs carries forward (meta.data_tests.scope = carried).';
COMMENT ON COLUMN meta.data_test_state.test IS 'Test name (file name without .sql).';
COMMENT ON COLUMN meta.data_test_state.fingerprint IS 'SHA-256 of the test''s SQL and the thresholds it read; a different one runs the test again.';
COMMENT ON COLUMN meta.data_test_state.run_id IS 'Run that read the whole warehouse for this result.';
COMMENT ON COLUMN meta.data_test_state.failures IS 'Rows that violated the test then.';
COMMENT ON COLUMN meta.data_test_state.examples IS 'Up to 5 of those rows, as in meta.data_tests.examples; NULL when it passed.';
COMMENT ON COLUMN meta.data_test_state.updated_at IS 'When this row was last written (UTC).';
