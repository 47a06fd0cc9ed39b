-- Countries are ISO 3166 alpha-2: two upper-case letters. The transforms
-- map every spelling to a code, so anything else is a transform bug.
SELECT 'core.sellers' AS tbl, seller_id AS id, country AS value
FROM core.sellers
WHERE NOT regexp_full_match(country, '[A-Z]{2}')
UNION ALL
SELECT 'marts.exports_by_destination', CAST(month AS VARCHAR), destination_country
FROM marts.exports_by_destination
WHERE NOT regexp_full_match(destination_country, '[A-Z]{2}')
