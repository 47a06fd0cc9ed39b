-- grain: hs_chapter, month
-- not null: hs_chapter, month, price_index
-- reads: listings
-- maintained: full: the index chains each month onto the one before and every chapter runs to the last month any price was seen, so one new price can move every later month and every chapter
--
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
           -- A delisted listing is observed up to the month before it
           -- went (a withdrawn one's price was closed in the history).
           CASE WHEN h.valid_to IS NULL AND l.delisted_at IS NULL THEN b.last_month
                WHEN h.valid_to IS NULL THEN least(b.last_month,
                     CAST(date_trunc('month', timezone('UTC', l.delisted_at)) - INTERVAL 1 MONTH AS DATE))
                ELSE CAST(date_trunc('month', timezone('UTC', h.valid_to)) - INTERVAL 1 MONTH AS DATE)
           END AS to_month
    FROM core.listing_price_history AS h
    JOIN core.listings AS l ON l.marketplace = h.marketplace AND l.listing_id = h.listing_id
    CROSS JOIN bounds AS b
    -- Chapter 0 is category other: goods of no one chapter, whose prices
    -- would make a meaningless index.
    WHERE h.price_min_usd > 0 AND l.hs_chapter > 0
),
-- Computed from the versions rather than from one row per listing-month:
-- a listing is observed every month from its first end-of-month price to
-- the last month, so the matched listings of a month are those that started
-- before it, and only a version change moves a price. Expanding listings
-- into months (as the median needs) and windowing over that took most of a
-- run on a million listings.
live AS (
    SELECT *, lag(price_min_usd) OVER w AS prev_price, lag(to_month) OVER w AS prev_to
    FROM versions WHERE from_month <= to_month
    WINDOW w AS (PARTITION BY marketplace, listing_id ORDER BY from_month)
),
months AS (
    SELECT DISTINCT hs_chapter, CAST(m.month AS DATE) AS month
    FROM (SELECT hs_chapter, min(from_month) AS first_month, max(to_month) AS last_month FROM live GROUP BY hs_chapter) AS c,
         LATERAL generate_series(c.first_month, c.last_month, INTERVAL 1 MONTH) AS m(month)
),
starts AS (
    SELECT hs_chapter, from_month AS month, count(*) AS started
    FROM live WHERE prev_to IS NULL GROUP BY ALL
),
moves AS (
    SELECT hs_chapter, from_month AS month, sum(ln(price_min_usd / prev_price)) AS sum_log
    FROM live WHERE prev_to = from_month - INTERVAL 1 MONTH GROUP BY ALL
),
medians AS (
    SELECT v.hs_chapter, CAST(m.month AS DATE) AS month, median(v.price_min_usd) AS median_price_usd
    FROM live AS v, LATERAL generate_series(v.from_month, v.to_month, INTERVAL 1 MONTH) AS m(month)
    GROUP BY ALL
),
chapter_months AS (
    SELECT m.hs_chapter, m.month,
           CAST(sum(coalesce(s.started, 0)) OVER c AS BIGINT) AS listings,
           CAST(sum(coalesce(s.started, 0)) OVER c - coalesce(s.started, 0) AS BIGINT) AS matched_listings,
           coalesce(mv.sum_log, 0) AS sum_log,
           md.median_price_usd
    FROM months AS m
    LEFT JOIN starts AS s USING (hs_chapter, month)
    LEFT JOIN moves AS mv USING (hs_chapter, month)
    LEFT JOIN medians AS md USING (hs_chapter, month)
    WINDOW c AS (PARTITION BY m.hs_chapter ORDER BY m.month)
)
SELECT hs_chapter, month, listings, matched_listings, median_price_usd,
       CASE WHEN matched_listings > 0 THEN exp(sum_log / matched_listings) - 1 END AS price_change,
       100 * exp(sum(CASE WHEN matched_listings > 0 THEN sum_log / matched_listings ELSE 0 END) OVER (PARTITION BY hs_chapter ORDER BY month)) AS price_index
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
