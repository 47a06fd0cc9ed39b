-- scope: core.listings, core.sellers, core.sailings, core.freight_rates, core.fx_rates
-- Every core table has one row per natural key (pipeline.NaturalKey). The
-- merge guarantees it: it collapses staged rows to one per key and inserts
-- only keys core does not hold. The tables carry no PRIMARY KEY since
-- migration 0005 (DuckDB keeps a key's index in memory, which a memory cap
-- could not hold at 10M listings), so this test is what proves it.
SELECT 'listings' AS core_table, count(*) AS rows_per_key
FROM core.listings GROUP BY marketplace, listing_id HAVING count(*) > 1
UNION ALL
SELECT 'sellers', count(*) FROM core.sellers GROUP BY marketplace, seller_id HAVING count(*) > 1
UNION ALL
SELECT 'sailings', count(*) FROM core.sailings GROUP BY sailing_id HAVING count(*) > 1
UNION ALL
SELECT 'freight_rates', count(*) FROM core.freight_rates GROUP BY rate_id HAVING count(*) > 1
UNION ALL
SELECT 'fx_rates', count(*) FROM core.fx_rates GROUP BY date, currency HAVING count(*) > 1
