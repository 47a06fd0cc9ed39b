-- Price history has one row per listing and valid_from (core tables enforce
-- their keys with PRIMARY KEY; the history table has none).
SELECT marketplace, listing_id, valid_from, count(*) AS versions
FROM core.listing_price_history
GROUP BY ALL
HAVING count(*) > 1
