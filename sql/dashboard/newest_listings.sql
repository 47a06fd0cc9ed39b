-- The ten current listings updated last, as the marketplace titles them.
-- The date range is compared as UTC instants (timezone() on the two
-- bounds, not on every row: per row it took most of a second at 300k).
SELECT l.title,
       l.marketplace,
       l.category,
       s.country AS seller_country,
       l.price_min_usd,
       l.price_max_usd,
       l.updated_at
FROM core.current_listings AS l
LEFT JOIN core.sellers AS s ON s.marketplace = l.marketplace AND s.seller_id = l.seller_id
WHERE ($marketplace = '' OR l.marketplace = $marketplace)
  AND ($country = '' OR s.country = $country)
  AND ($category = '' OR l.category_group = $category)
  AND l.updated_at >= timezone('UTC', CAST(CAST($from AS DATE) AS TIMESTAMP))
  AND l.updated_at < timezone('UTC', CAST(CAST($to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY)
ORDER BY l.updated_at DESC, l.marketplace, l.listing_id
LIMIT 10;
