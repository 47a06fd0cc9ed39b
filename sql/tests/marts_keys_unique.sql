-- Every mart has one row per key (the key is named in its table comment).
SELECT 'listings_by_category_country' AS mart, count(*) AS rows_per_key
FROM marts.listings_by_category_country GROUP BY marketplace, category, seller_country HAVING count(*) > 1
UNION ALL
SELECT 'category_share', count(*) FROM marts.category_share GROUP BY category_group HAVING count(*) > 1
UNION ALL
SELECT 'route_performance', count(*) FROM marts.route_performance
GROUP BY carrier, origin, destination HAVING count(*) > 1
UNION ALL
SELECT 'route_performance_monthly', count(*) FROM marts.route_performance_monthly
GROUP BY carrier, origin, destination, month HAVING count(*) > 1
UNION ALL
SELECT 'listings_daily', count(*) FROM marts.listings_daily
GROUP BY day, marketplace, category, seller_country HAVING count(*) > 1
UNION ALL
SELECT 'price_index_monthly', count(*) FROM marts.price_index_monthly GROUP BY hs_chapter, month HAVING count(*) > 1
UNION ALL
SELECT 'seller_growth_monthly', count(*) FROM marts.seller_growth_monthly
GROUP BY month, marketplace, seller_country HAVING count(*) > 1
UNION ALL
SELECT 'freight_cost_monthly', count(*) FROM marts.freight_cost_monthly
GROUP BY origin, destination, equipment, month HAVING count(*) > 1
UNION ALL
SELECT 'exports_by_destination', count(*) FROM marts.exports_by_destination
GROUP BY destination_country, month HAVING count(*) > 1
