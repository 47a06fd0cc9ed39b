-- Prices are never negative and a range never runs backwards.
SELECT marketplace, listing_id, price_min, price_max
FROM core.listings
WHERE price_min < 0 OR price_max < price_min OR price_min_usd < 0 OR price_max_usd < price_min_usd
