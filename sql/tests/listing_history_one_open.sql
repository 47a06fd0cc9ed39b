-- Every listing in core has exactly one current price in the history.
-- Counted on the history alone, then listings with none found by an anti
-- join: joining every listing to its history before grouping needed more
-- than a 256MB memory_limit at 10M listings, this form does not.
WITH open AS (
    SELECT marketplace, listing_id, count(*) AS open_prices
    FROM core.listing_price_history
    WHERE valid_to IS NULL
    GROUP BY marketplace, listing_id
)
SELECT marketplace, listing_id, open_prices
FROM open
WHERE open_prices <> 1
UNION ALL
SELECT l.marketplace, l.listing_id, 0 AS open_prices
FROM core.listings AS l
ANTI JOIN open AS o ON o.marketplace = l.marketplace AND o.listing_id = l.listing_id
