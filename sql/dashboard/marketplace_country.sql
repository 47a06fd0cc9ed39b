-- Current listings per marketplace and seller country, with each country's
-- share of its marketplace. A seller the warehouse does not know has no
-- country ('').
SELECT marketplace,
       coalesce(seller_country, '') AS seller_country,
       CAST(sum(listings) AS BIGINT) AS listings,
       sum(listings) / sum(sum(listings)) OVER (PARTITION BY marketplace) AS share
FROM marts.listings_by_category_country
WHERE ($marketplace = '' OR marketplace = $marketplace)
  AND ($category = '' OR category_group = $category)
GROUP BY marketplace, seller_country
ORDER BY marketplace, listings DESC, seller_country;
