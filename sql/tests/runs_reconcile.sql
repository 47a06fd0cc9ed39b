-- Every successful run reconciles: per step, extracted = loaded + rejected +
-- duplicates; the run's totals are the sum of its steps; and meta.rejects
-- holds exactly as many rows as the steps rejected. The run being tested is
-- recorded after the tests (the runner checks its counts itself), so this
-- checks every earlier run in the file.
WITH ok AS (SELECT run_id FROM meta.runs WHERE status = 'ok'),
steps AS (
    SELECT run_id, dataset, sum(extracted) AS extracted, sum(loaded) AS loaded,
           sum(rejected) AS rejected, sum(duplicates) AS duplicates
    FROM meta.run_steps WHERE run_id IN (SELECT run_id FROM ok)
    GROUP BY ALL
),
rejects AS (
    SELECT run_id, dataset, count(*) AS n
    FROM meta.rejects WHERE run_id IN (SELECT run_id FROM ok)
    GROUP BY ALL
)
SELECT 'step' AS what, run_id, dataset FROM steps
WHERE extracted <> loaded + rejected + duplicates
UNION ALL
SELECT 'rejects', coalesce(s.run_id, r.run_id), coalesce(s.dataset, r.dataset)
FROM steps AS s FULL OUTER JOIN rejects AS r ON r.run_id = s.run_id AND r.dataset = s.dataset
WHERE coalesce(s.rejected, 0) <> coalesce(r.n, 0)
UNION ALL
SELECT 'totals', r.run_id, NULL
FROM meta.runs AS r JOIN (SELECT run_id, sum(extracted) AS e, sum(loaded) AS l, sum(rejected) AS x,
                                 sum(duplicates) AS d FROM steps GROUP BY run_id) AS t USING (run_id)
WHERE r.extracted <> t.e OR r.loaded <> t.l OR r.rejected <> t.x OR r.duplicates <> t.d
