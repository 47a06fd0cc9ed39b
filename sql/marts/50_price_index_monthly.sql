-- How prices move: a monthly USD price index per HS chapter, built from the
-- listing price history (core.listing_price_history).
--
-- A listing's price in a month is the price_min_usd of the version in force
-- at the end of that UTC month; a listing is observed every month from the
-- month of its first version to the last month any version was seen (the
-- data's own "now", so a rebuild never depends on the clock). A version
-- replaced within the month it started is never an end-of-month price.
--
-- The index is a chained matched-listing (Jevons) index, the usual index for
-- scraped prices: from one month to the next, the geometric mean of
-- price(m) / price(m-1) over listings observed in both months with a
-- positive price, chained from 100 in the chapter's first month. New listings
-- join the chain without moving it, so the index moves only when listed
-- prices change: one of two listings rising 20% lifts it by sqrt(1.2).
-- The median price of all observed listings is kept beside it for context;
-- it also moves when the mix of listings changes.
CREATE OR REPLACE TABLE marts.price_index_monthly AS
WITH bounds AS (
    SELECT CAST(date_trunc('month', max(timezone('UTC', valid_from))) AS DATE) AS last_month
    FROM core.listing_price_history
),
versions AS (
    SELECT h.marketplace, h.listing_id, l.hs_chapter, h.price_min_usd,
           CAST(date_trunc('month', timezone('UTC', h.valid_from)) AS DATE) AS from_month,
           CASE WHEN h.valid_to IS NULL THEN b.last_month
                ELSE CAST(date_trunc('month', timezone('UTC', h.valid_to)) - INTERVAL 1 MONTH AS DATE)
           END AS to_month
    FROM core.listing_price_history AS h
    JOIN core.listings AS l ON l.marketplace = h.marketplace AND l.listing_id = h.listing_id
    CROSS JOIN bounds AS b
    WHERE h.price_min_usd > 0
),
observed AS (
    SELECT v.marketplace, v.listing_id, v.hs_chapter, v.price_min_usd AS price_usd,
           CAST(m.month AS DATE) AS month
    FROM versions AS v,
         LATERAL generate_series(v.from_month, v.to_month, INTERVAL 1 MONTH) AS m(month)
    WHERE v.from_month <= v.to_month
),
changes AS (
    SELECT hs_chapter, month, price_usd,
           CASE WHEN lag(month) OVER w = month - INTERVAL 1 MONTH
                THEN ln(price_usd / lag(price_usd) OVER w) END AS log_change
    FROM observed
    WINDOW w AS (PARTITION BY marketplace, listing_id ORDER BY month)
),
chapter_months AS (
    SELECT hs_chapter, month,
           count(*) AS listings,
           median(price_usd) AS median_price_usd,
           count(log_change) AS matched_listings,
           avg(log_change) AS mean_log_change
    FROM changes
    GROUP BY hs_chapter, month
)
SELECT hs_chapter,
       month,
       listings,
       matched_listings,
       median_price_usd,
       exp(mean_log_change) - 1 AS price_change,
       100 * exp(sum(coalesce(mean_log_change, 0)) OVER (PARTITION BY hs_chapter ORDER BY month)) AS price_index
FROM chapter_months
ORDER BY hs_chapter, month;

COMMENT ON TABLE marts.price_index_monthly IS 'Monthly USD price index per HS chapter: chained geometric mean of month-on-month price changes of the same listings, 100 in the chapter''s first month. Key: hs_chapter, month.';
COMMENT ON COLUMN marts.price_index_monthly.hs_chapter IS 'Harmonized System chapter of the listings'' category.';
COMMENT ON COLUMN marts.price_index_monthly.month IS 'First day of the UTC month; prices are those in force at its end.';
COMMENT ON COLUMN marts.price_index_monthly.listings IS 'Listings with a positive USD price at the end of the month.';
COMMENT ON COLUMN marts.price_index_monthly.matched_listings IS 'Listings also priced at the end of the previous month; only they move the index.';
COMMENT ON COLUMN marts.price_index_monthly.median_price_usd IS 'Median price_min_usd of the month''s listings (moves with the mix of listings too).';
COMMENT ON COLUMN marts.price_index_monthly.price_change IS 'Geometric mean of price(month) / price(previous month) - 1 over matched listings; NULL in the first month.';
COMMENT ON COLUMN marts.price_index_monthly.price_index IS 'Chained index: 100 in the chapter''s first month, times (1 + price_change) each month after.';
