-- scope: core.listing_price_history
-- Price history has one row per listing and valid_from (core tables have one
-- row per natural key, checked by core_keys_unique).
SELECT marketplace, listing_id, valid_from, count(*) AS versions
FROM core.listing_price_history
GROUP BY ALL
HAVING count(*) > 1
