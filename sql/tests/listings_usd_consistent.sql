-- scope: core.listings
-- USD prices are the original prices divided by the stored rate.
SELECT marketplace, listing_id, price_min, fx_units_per_usd, price_min_usd
FROM core.listings
WHERE fx_units_per_usd <= 0
   OR abs(price_min_usd * fx_units_per_usd - price_min) > 1e-6 * greatest(1, abs(price_min))
   OR abs(price_max_usd * fx_units_per_usd - price_max) > 1e-6 * greatest(1, abs(price_max))
