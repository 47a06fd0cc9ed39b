-- The ten current listings updated last, as the marketplace titles them.
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
  AND CAST(timezone('UTC', l.updated_at) AS DATE) BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
ORDER BY l.updated_at DESC, l.marketplace, l.listing_id
LIMIT 10;
