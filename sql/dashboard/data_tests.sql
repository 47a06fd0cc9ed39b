-- The data tests of the snapshot's run, failures first.
SELECT test, severity, failures, passed
FROM meta.data_tests
WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'ok' ORDER BY finished_at DESC LIMIT 1)
ORDER BY passed, severity, test;
