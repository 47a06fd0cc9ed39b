-- Loaded, rejected and collapsed rows per dataset over the newest $runs runs.
WITH recent AS (
    SELECT run_id, started_at, status FROM meta.runs ORDER BY started_at DESC LIMIT $runs
)
SELECT r.run_id,
       r.started_at,
       r.status,
       s.dataset,
       CAST(sum(s.extracted) AS BIGINT) AS extracted,
       CAST(sum(s.loaded) AS BIGINT) AS loaded,
       CAST(sum(s.rejected) AS BIGINT) AS rejected,
       CAST(sum(s.duplicates) AS BIGINT) AS duplicates
FROM recent AS r
JOIN meta.run_steps AS s USING (run_id)
GROUP BY ALL
ORDER BY r.started_at, s.dataset;
