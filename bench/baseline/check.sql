-- Is the DuckDB-alone baseline doing exportpipe's job? Run on the
-- baseline's file after both have loaded the same workload; @EXPORTPIPE@ is
-- exportpipe's warehouse (or snapshot) of that run. Each row is one check:
-- got must equal want, or bench/duckdbalone -check fails. A faster
-- baseline that loads other rows, rejects for other reasons or converts
-- prices differently is then caught instead of reported as a win.
ATTACH '@EXPORTPIPE@' AS ep (READ_ONLY);

CREATE OR REPLACE TEMP TABLE ep_rejects AS
SELECT field, code, count(*) AS n
FROM ep.meta.rejects
WHERE dataset = 'listings' AND run_id = (SELECT max(run_id) FROM ep.meta.rejects WHERE dataset = 'listings')
GROUP BY ALL;

-- Every listing on both sides, matched on its natural key.
CREATE OR REPLACE TEMP TABLE pairs AS
SELECT a.listing_id IS NOT NULL AS in_alone, e.listing_id IS NOT NULL AS in_exportpipe,
       a.currency IS DISTINCT FROM e.currency AS currency,
       round(a.price_min * 100) IS DISTINCT FROM round(e.price_min * 100)
         OR round(a.price_max * 100) IS DISTINCT FROM round(e.price_max * 100) AS price,
       round(a.price_min_usd * 100) IS DISTINCT FROM round(e.price_min_usd * 100)
         OR round(a.price_max_usd * 100) IS DISTINCT FROM round(e.price_max_usd * 100) AS price_usd,
       a.price_unit IS DISTINCT FROM e.price_unit AS price_unit,
       a.category IS DISTINCT FROM e.category AS category,
       a.moq_qty IS DISTINCT FROM e.moq_qty OR a.moq_unit IS DISTINCT FROM e.moq_unit AS moq,
       a.updated_at IS DISTINCT FROM e.updated_at AS updated_at,
       a.title IS DISTINCT FROM e.title OR a.seller_id IS DISTINCT FROM e.seller_id AS title_or_seller
FROM listings a FULL JOIN ep.core.listings e ON a.marketplace = e.marketplace AND a.listing_id = e.listing_id;

SELECT 'loaded listings' AS "check", (SELECT count(*) FROM listings) AS got, (SELECT count(*) FROM ep.core.listings) AS want
UNION ALL
SELECT 'rejected: ' || coalesce(a.field, e.field) || ' ' || coalesce(a.code, e.code), coalesce(a.n, 0), coalesce(e.n, 0)
FROM (SELECT field, code, sum(copies) AS n FROM rejects GROUP BY ALL) a
FULL JOIN ep_rejects e ON a.field = e.field AND a.code = e.code
UNION ALL SELECT 'listings only the baseline loaded', count(*) FILTER (NOT in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings only exportpipe loaded', count(*) FILTER (NOT in_alone), 0 FROM pairs
UNION ALL SELECT 'listings with another currency', count(*) FILTER (currency AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another price (to the cent)', count(*) FILTER (price AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another USD price (to the cent)', count(*) FILTER (price_usd AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another price unit', count(*) FILTER (price_unit AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another category', count(*) FILTER (category AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another MOQ', count(*) FILTER (moq AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another updated_at (the version kept)', count(*) FILTER (updated_at AND in_alone AND in_exportpipe), 0 FROM pairs
UNION ALL SELECT 'listings with another title or seller', count(*) FILTER (title_or_seller AND in_alone AND in_exportpipe), 0 FROM pairs;
