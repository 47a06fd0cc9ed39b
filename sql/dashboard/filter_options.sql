-- The values each filter offers, read from the marts so they list what the
-- views can show.
SELECT * FROM (
    SELECT DISTINCT 'marketplace' AS filter, marketplace AS value FROM marts.listings_by_category_country
    UNION ALL
    SELECT DISTINCT 'category', category_group FROM marts.listings_by_category_country
    UNION ALL
    SELECT DISTINCT 'country', seller_country FROM marts.listings_by_category_country
    UNION ALL
    SELECT DISTINCT 'carrier', carrier FROM marts.route_performance
    UNION ALL
    SELECT DISTINCT 'equipment', equipment FROM marts.freight_cost_monthly
)
WHERE value IS NOT NULL
ORDER BY filter, value;
