-- The run a snapshot holds: its newest successful run, and how many runs
-- the file records in all.
SELECT r.run_id,
       r.pipeline,
       r.started_at,
       r.finished_at,
       (SELECT count(*) FROM meta.runs) AS runs
FROM meta.runs AS r
WHERE r.status = 'ok'
ORDER BY r.finished_at DESC
LIMIT 1;
