-- New, active and total sellers per month, summed over the marketplaces
-- and countries in the filter.
SELECT month,
       CAST(sum(new_sellers) AS BIGINT) AS new_sellers,
       CAST(sum(active_sellers) AS BIGINT) AS active_sellers,
       CAST(sum(total_sellers) AS BIGINT) AS total_sellers
FROM marts.seller_growth_monthly
WHERE ($marketplace = '' OR marketplace = $marketplace)
  AND ($country = '' OR seller_country = $country)
  AND month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
GROUP BY month
ORDER BY month;
