-- Mart keys and counts are never NULL. seller_country may be: it is NULL for
-- listings whose seller is unknown (see listings_sellers_exist).
SELECT 'listings_by_category_country' AS mart FROM marts.listings_by_category_country
WHERE marketplace IS NULL OR category IS NULL OR listings IS NULL
UNION ALL
SELECT 'category_share' FROM marts.category_share WHERE category_group IS NULL OR share IS NULL
UNION ALL
SELECT 'route_performance' FROM marts.route_performance
WHERE carrier IS NULL OR origin IS NULL OR destination IS NULL OR sailings IS NULL
UNION ALL
SELECT 'route_performance_monthly' FROM marts.route_performance_monthly
WHERE carrier IS NULL OR origin IS NULL OR destination IS NULL OR month IS NULL OR sailings IS NULL
UNION ALL
SELECT 'listings_daily' FROM marts.listings_daily
WHERE day IS NULL OR marketplace IS NULL OR category IS NULL OR active_listings IS NULL
UNION ALL
SELECT 'price_index_monthly' FROM marts.price_index_monthly
WHERE hs_chapter IS NULL OR month IS NULL OR price_index IS NULL
UNION ALL
SELECT 'seller_growth_monthly' FROM marts.seller_growth_monthly
WHERE month IS NULL OR marketplace IS NULL OR seller_country IS NULL OR total_sellers IS NULL
UNION ALL
SELECT 'freight_cost_monthly' FROM marts.freight_cost_monthly
WHERE origin IS NULL OR destination IS NULL OR equipment IS NULL OR month IS NULL OR median_usd IS NULL
UNION ALL
SELECT 'exports_by_destination' FROM marts.exports_by_destination
WHERE destination_country IS NULL OR month IS NULL OR sailings IS NULL
