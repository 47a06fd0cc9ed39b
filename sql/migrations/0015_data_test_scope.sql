-- 0015_data_test_scope: a night checks the tests that can be checked on
-- what it changed on that only (their files declare "-- scope: core.x"),
-- and run --full-tests checks everything; each result says which it was.
ALTER TABLE meta.data_tests ADD COLUMN scope VARCHAR;
COMMENT ON COLUMN meta.data_tests.scope IS 'full: the test read the whole warehouse; run: it read only the rows of the tables its file scopes whose keys the run changed (run --full-tests makes every test full). NULL for results recorded before migration 0015.';
