-- Ports are UN/LOCODEs: a two-letter country and three letters or digits
-- 2-9 (PKKHI, PKBQM).
SELECT 'core.sailings' AS tbl, sailing_id AS id, origin, destination
FROM core.sailings
WHERE NOT regexp_full_match(origin, '[A-Z]{2}[A-Z2-9]{3}')
   OR NOT regexp_full_match(destination, '[A-Z]{2}[A-Z2-9]{3}')
UNION ALL
SELECT 'core.freight_rates', rate_id, origin, destination
FROM core.freight_rates
WHERE NOT regexp_full_match(origin, '[A-Z]{2}[A-Z2-9]{3}')
   OR NOT regexp_full_match(destination, '[A-Z]{2}[A-Z2-9]{3}')
