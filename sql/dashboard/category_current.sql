-- Current listings per category group, and each group's share of them.
SELECT category_group,
       CAST(sum(listings) AS BIGINT) AS listings,
       sum(listings) / sum(sum(listings)) OVER () AS share
FROM marts.listings_by_category_country
WHERE ($marketplace = '' OR marketplace = $marketplace)
  AND ($country = '' OR seller_country = $country)
  AND ($category = '' OR category_group = $category)
GROUP BY category_group
ORDER BY listings DESC, category_group;
