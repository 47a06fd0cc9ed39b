-- The newest $runs runs the snapshot records, failures included (those
-- before the snapshot's own run; later failures are only in the working
-- warehouse).
SELECT run_id,
       status,
       started_at,
       duration_s,
       extracted,
       loaded,
       rejected,
       duplicates,
       data_test_errors,
       data_test_warnings,
       left(coalesce(error, ''), 300) AS error
FROM meta.run_overview
ORDER BY started_at DESC
LIMIT $runs;
