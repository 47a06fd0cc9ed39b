-- Rejected rows per source over the newest $runs runs.
WITH recent AS (
    SELECT run_id, started_at, status FROM meta.runs ORDER BY started_at DESC LIMIT $runs
)
SELECT r.run_id,
       r.started_at,
       r.status,
       s.source,
       CAST(sum(s.extracted) AS BIGINT) AS extracted,
       CAST(sum(s.rejected) AS BIGINT) AS rejected
FROM recent AS r
JOIN meta.run_steps AS s USING (run_id)
GROUP BY ALL
ORDER BY r.started_at, s.source;
