-- scope: core.listings, core.listing_price_history
-- Every listing in core has exactly one current price in the history, but
-- a withdrawn one (its newest version was unusable), which has none: its
-- last price was closed when it was withdrawn.
-- Counted on the history alone, then listings with none found by an anti
-- join: joining every listing to its history before grouping needed more
-- than a 256MB memory_limit at 10M listings, this form does not.
WITH open AS (
    SELECT marketplace, listing_id, count(*) AS open_prices
    FROM core.listing_price_history
    WHERE valid_to IS NULL
    GROUP BY marketplace, listing_id
)
SELECT o.marketplace, o.listing_id, o.open_prices
FROM open AS o
LEFT JOIN core.listings AS l ON l.marketplace = o.marketplace AND l.listing_id = o.listing_id
WHERE o.open_prices <> 1 OR l.withdrawn_at IS NOT NULL
UNION ALL
SELECT l.marketplace, l.listing_id, 0 AS open_prices
FROM core.listings AS l
ANTI JOIN open AS o ON o.marketplace = l.marketplace AND o.listing_id = l.listing_id
WHERE l.withdrawn_at IS NULL
