-- Freshness per dataset and source: the last successful run that read it,
-- the newest record core holds from it (its updated_at; the newest rate date
-- for FX), and its saved incremental cursors. A step's source is a
-- comma-separated list when several sources feed one dataset.
WITH steps AS (
    SELECT s.dataset, s.source, r.run_id, r.started_at
    FROM meta.run_steps AS s
    JOIN meta.runs AS r USING (run_id)
    WHERE r.status = 'ok'
    QUALIFY row_number() OVER (PARTITION BY s.dataset, s.source ORDER BY r.started_at DESC) = 1
),
by_source AS (
    SELECT source, max(updated_at) AS newest FROM core.listings GROUP BY source
),
by_dataset AS (
    SELECT 'listings' AS dataset, max(updated_at) AS newest FROM core.listings
    UNION ALL SELECT 'sellers', max(updated_at) FROM core.sellers
    UNION ALL SELECT 'sailings', max(updated_at) FROM core.sailings
    UNION ALL SELECT 'freight_rates', max(updated_at) FROM core.freight_rates
    UNION ALL SELECT 'fx_rates', CAST(max(date) AS TIMESTAMPTZ) FROM core.fx_rates
)
SELECT st.dataset,
       st.source,
       st.run_id AS last_run,
       st.started_at AS last_run_at,
       CASE WHEN st.dataset = 'listings' THEN coalesce(bs.newest, bd.newest) ELSE bd.newest END AS newest_record,
       coalesce((SELECT string_agg(m.key || ' = ' || m.value, '; ' ORDER BY m.key)
                 FROM meta.state AS m
                 WHERE list_contains(string_split(st.source, ','), split_part(m.key, '.', 1))), '') AS cursor
FROM steps AS st
LEFT JOIN by_source AS bs ON bs.source = st.source
LEFT JOIN by_dataset AS bd ON bd.dataset = st.dataset
ORDER BY st.dataset, st.source;
