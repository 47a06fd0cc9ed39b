-- Currencies are ISO 4217 codes (three upper-case letters) and every
-- currency a price or rate is in has FX rates.
SELECT 'core.listings' AS tbl, currency FROM core.listings
WHERE NOT regexp_full_match(currency, '[A-Z]{3}')
UNION ALL
SELECT 'core.freight_rates', currency FROM core.freight_rates
WHERE NOT regexp_full_match(currency, '[A-Z]{3}')
UNION ALL
SELECT 'core.fx_rates', currency FROM core.fx_rates
WHERE NOT regexp_full_match(currency, '[A-Z]{3}') OR units_per_usd <= 0
