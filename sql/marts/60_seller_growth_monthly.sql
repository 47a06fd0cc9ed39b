-- grain: month, marketplace, seller_country
-- not null: month, marketplace, seller_country, total_sellers
-- reads: listings, sellers
-- maintained: full: total_sellers is a running total over a calendar that ends on the last month of any group, so one new seller or price can extend every group
--
-- Which sellers are growing: new and active sellers per month, marketplace
-- and seller country (WHERE seller_country = 'PK' for Pakistani sellers).
--
-- A seller is new in the UTC month it joined the marketplace (joined_at, or
-- the first version loaded when the marketplace does not say). A seller is
-- active in a month when one of its listings appeared or changed price then
-- (a version starting in core.listing_price_history): the only dated
-- activity sources publish. Months without either are filled in, from each
-- group's first month to the last month of any group.
CREATE OR REPLACE TABLE marts.seller_growth_monthly AS
WITH sellers AS (
    SELECT marketplace, seller_id, country AS seller_country,
           CAST(date_trunc('month', timezone('UTC', coalesce(joined_at, updated_at))) AS DATE) AS joined_month
    FROM core.sellers
),
activity AS (
    SELECT DISTINCT l.marketplace, l.seller_id,
           CAST(date_trunc('month', timezone('UTC', h.valid_from)) AS DATE) AS month
    FROM core.listing_price_history AS h
    JOIN core.listings AS l ON l.marketplace = h.marketplace AND l.listing_id = h.listing_id
),
new_per_month AS (
    SELECT marketplace, seller_country, joined_month AS month, count(*) AS new_sellers
    FROM sellers GROUP BY ALL
),
active_per_month AS (
    SELECT s.marketplace, s.seller_country, a.month, count(*) AS active_sellers
    FROM activity AS a
    JOIN sellers AS s ON s.marketplace = a.marketplace AND s.seller_id = a.seller_id
    GROUP BY ALL
),
calendar AS (
    SELECT g.marketplace, g.seller_country, CAST(m.month AS DATE) AS month
    FROM (SELECT marketplace, seller_country, min(month) AS first_month
          FROM (SELECT * EXCLUDE (new_sellers) FROM new_per_month
                UNION ALL SELECT * EXCLUDE (active_sellers) FROM active_per_month)
          GROUP BY ALL) AS g,
         (SELECT max(month) AS last_month
          FROM (SELECT month FROM new_per_month UNION ALL SELECT month FROM active_per_month)) AS b,
         LATERAL generate_series(g.first_month, b.last_month, INTERVAL 1 MONTH) AS m(month)
)
SELECT c.month,
       c.marketplace,
       c.seller_country,
       coalesce(n.new_sellers, 0) AS new_sellers,
       coalesce(a.active_sellers, 0) AS active_sellers,
       CAST(sum(coalesce(n.new_sellers, 0)) OVER (
           PARTITION BY c.marketplace, c.seller_country ORDER BY c.month) AS BIGINT) AS total_sellers
FROM calendar AS c
LEFT JOIN new_per_month AS n
       ON n.marketplace = c.marketplace AND n.seller_country = c.seller_country AND n.month = c.month
LEFT JOIN active_per_month AS a
       ON a.marketplace = c.marketplace AND a.seller_country = c.seller_country AND a.month = c.month
ORDER BY c.month, c.marketplace, c.seller_country;

COMMENT ON TABLE marts.seller_growth_monthly IS 'New, active and total sellers per month, marketplace and seller country. Key: month, marketplace, seller_country.';
COMMENT ON COLUMN marts.seller_growth_monthly.month IS 'First day of the UTC month.';
COMMENT ON COLUMN marts.seller_growth_monthly.marketplace IS 'Marketplace domain.';
COMMENT ON COLUMN marts.seller_growth_monthly.seller_country IS 'ISO 3166 alpha-2 country of the seller (PK for Pakistani sellers).';
COMMENT ON COLUMN marts.seller_growth_monthly.new_sellers IS 'Sellers that joined the marketplace in the month (joined_at; the first loaded version when unknown).';
COMMENT ON COLUMN marts.seller_growth_monthly.active_sellers IS 'Sellers with a listing that appeared or changed price in the month.';
COMMENT ON COLUMN marts.seller_growth_monthly.total_sellers IS 'Sellers that joined in or before the month and are in core.sellers.';
