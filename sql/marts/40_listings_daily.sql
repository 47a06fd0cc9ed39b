-- grain: day, marketplace, category, seller_country
-- not null: day, marketplace, category, active_listings
-- reads: listings, sellers
-- maintained: full: active_listings is a running total over a calendar that ends on the last day of any group, so a listing first seen on a new day extends every group
--
-- How fast the number of listings grows: per UTC day, marketplace, category
-- (with its HS chapter) and seller country, the listings first seen that day and the running total.
-- Sources publish no creation dates, so "first seen" is the earliest
-- valid_from in core.listing_price_history (the updated_at of the first
-- version the warehouse loaded). A listing stops counting on the UTC day it
-- was delisted (a complete source stopped returning it) or withdrawn (its
-- newest version was unusable), whichever came first. Days without changes
-- are filled in, from each group's first day to the last day of any group.
CREATE OR REPLACE TABLE marts.listings_daily AS
WITH first_seen AS (
    SELECT marketplace, listing_id, min(valid_from) AS first_seen
    FROM core.listing_price_history
    GROUP BY marketplace, listing_id
),
listing_days AS (
    SELECT l.marketplace,
           l.category,
           l.hs_chapter,
           s.country AS seller_country,
           CAST(timezone('UTC', coalesce(f.first_seen, l.updated_at)) AS DATE) AS day,
           CAST(timezone('UTC', least(l.delisted_at, l.withdrawn_at)) AS DATE) AS gone_day
    FROM core.listings AS l
    LEFT JOIN core.sellers AS s
           ON s.marketplace = l.marketplace AND s.seller_id = l.seller_id
    LEFT JOIN first_seen AS f
           ON f.marketplace = l.marketplace AND f.listing_id = l.listing_id
),
changes_per_day AS (
    SELECT marketplace, category, hs_chapter, seller_country, day,
           sum(new_listings) AS new_listings, sum(removed_listings) AS removed_listings
    FROM (
        SELECT marketplace, category, hs_chapter, seller_country, day, 1 AS new_listings, 0 AS removed_listings
        FROM listing_days
        UNION ALL
        SELECT marketplace, category, hs_chapter, seller_country, gone_day, 0, 1
        FROM listing_days WHERE gone_day IS NOT NULL
    )
    GROUP BY ALL
),
calendar AS (
    SELECT g.marketplace, g.category, g.hs_chapter, g.seller_country, CAST(d.day AS DATE) AS day
    FROM (SELECT marketplace, category, hs_chapter, seller_country, min(day) AS first_day
          FROM changes_per_day GROUP BY ALL) AS g,
         (SELECT max(day) AS last_day FROM changes_per_day) AS m,
         LATERAL generate_series(g.first_day, m.last_day, INTERVAL 1 DAY) AS d(day)
)
SELECT c.day,
       c.marketplace,
       c.category,
       c.hs_chapter,
       c.seller_country,
       CAST(sum(coalesce(n.new_listings, 0) - coalesce(n.removed_listings, 0)) OVER (
           PARTITION BY c.marketplace, c.category, c.seller_country
           ORDER BY c.day) AS BIGINT) AS active_listings,
       CAST(coalesce(n.new_listings, 0) AS BIGINT) AS new_listings,
       CAST(coalesce(n.removed_listings, 0) AS BIGINT) AS removed_listings
FROM calendar AS c
LEFT JOIN changes_per_day AS n
       ON n.marketplace = c.marketplace
      AND n.category = c.category
      AND n.seller_country IS NOT DISTINCT FROM c.seller_country
      AND n.day = c.day
ORDER BY c.day, c.marketplace, c.category, c.seller_country;

COMMENT ON TABLE marts.listings_daily IS 'Listings first seen per UTC day and the running total, per marketplace, category (HS chapter) and seller country. Key: day, marketplace, category, seller_country.';
COMMENT ON COLUMN marts.listings_daily.day IS 'UTC calendar day.';
COMMENT ON COLUMN marts.listings_daily.marketplace IS 'Marketplace domain.';
COMMENT ON COLUMN marts.listings_daily.category IS 'Canonical category slug.';
COMMENT ON COLUMN marts.listings_daily.hs_chapter IS 'Harmonized System chapter of the category.';
COMMENT ON COLUMN marts.listings_daily.seller_country IS 'ISO 3166 alpha-2 country of the seller; NULL when the seller is unknown.';
COMMENT ON COLUMN marts.listings_daily.active_listings IS 'Listings first seen on or before this day and not delisted or withdrawn by then.';
COMMENT ON COLUMN marts.listings_daily.new_listings IS 'Listings first seen on this day (earliest price version loaded).';
COMMENT ON COLUMN marts.listings_daily.removed_listings IS 'Listings delisted (core.listings.delisted_at) or withdrawn (withdrawn_at) on this day.';
