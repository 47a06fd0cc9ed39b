-- Current listings per category group at the end of each month: the
-- month's last day in the range of marts.listings_daily.
WITH groups AS (
    SELECT DISTINCT category, category_group FROM core.listings
),
daily AS (
    SELECT d.day, g.category_group, sum(d.active_listings) AS listings
    FROM marts.listings_daily AS d
    JOIN groups AS g USING (category)
    WHERE ($marketplace = '' OR d.marketplace = $marketplace)
      AND ($country = '' OR d.seller_country = $country)
      AND ($category = '' OR g.category_group = $category)
      AND d.day BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
    GROUP BY ALL
)
SELECT CAST(date_trunc('month', day) AS DATE) AS month,
       day,
       category_group,
       CAST(listings AS BIGINT) AS listings
FROM daily
QUALIFY day = max(day) OVER (PARTITION BY date_trunc('month', day))
ORDER BY month, category_group;
