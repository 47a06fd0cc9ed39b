-- 0003_data_test_severity: data tests declare a severity (sql/tests files
-- start with "-- severity: warn" or default to error), and meta.data_tests
-- records it so a warning is told apart from a failure that stopped a run.
-- Rows written before this migration were all error-level tests.
--
-- DuckDB cannot add a column with a NOT NULL constraint, so the default
-- carries the guarantee: every insert names the severity, and old rows get
-- 'error'.

ALTER TABLE meta.data_tests ADD COLUMN severity VARCHAR DEFAULT 'error';
UPDATE meta.data_tests SET severity = 'error' WHERE severity IS NULL;
COMMENT ON COLUMN meta.data_tests.severity IS 'error (a failure fails the run with exit code 5 and keeps the previous snapshot) or warn (reported only).';
