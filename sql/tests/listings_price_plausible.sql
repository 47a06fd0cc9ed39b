-- severity: warn
-- Current listings whose USD price is implausible: more than
-- price_outlier_ratio times (default 100) above or below the median of
-- their category on their marketplace, or under price_min_usd (default
-- 0.01, one US cent). A parser error that shifts a whole file's decimal
-- point ("a file's prices 1,000x too small") passes every other test; this
-- one names it the first night, by source.
--
-- One row per source and marketplace with something flagged, so the
-- warning names every source involved, with how many of its listings were
-- flagged, which way, the typical factor off the median (0.001: a thousand
-- times too small) and its three most extreme listings.
--
-- The median a listing is compared with must not be one its own error
-- moved. A source that arrives with every price wrong, and with more
-- listings than the rest, would drag a plain median to itself and the
-- healthy sources would be flagged instead. So sources are ordered by age,
-- the earliest run that loaded any of their listings (_first_run), and a
-- newer source never weighs in on an older one. For each source, category
-- and marketplace the median is that of the current listings of:
--   1. the older sources, when they have price_median_min_listings
--      (default 20) listings there;
--   2. else the other sources no newer than it (older ones and those first
--      loaded in the same run);
--   3. else every source no newer than it, itself included (the first
--      source of a category is compared with its own median: that catches
--      single listings far off, and a whole source shifted by one factor
--      only through the one-cent floor);
--   4. else there is no median, and only the floor applies.
-- Limits: two sources first loaded in the same run that disagree are both
-- flagged (the examples show which prices are plausible); an established
-- source that breaks is compared with its own shifted median, so the
-- sources newer than it are the ones flagged, against "the median of older
-- sources" that the examples show to be the broken one.
--
-- The thresholds are DuckDB variables the warehouse sets from the config's
-- checks.prices before the tests run (sql/warehouse/datatests.go); unset,
-- this file's defaults apply, so it also runs by hand in any DuckDB client.
WITH params AS (
    SELECT coalesce(CAST(getvariable('price_outlier_ratio') AS DOUBLE), 100) AS ratio,
           coalesce(CAST(getvariable('price_min_usd') AS DOUBLE), 0.01) AS min_usd,
           coalesce(CAST(getvariable('price_median_min_listings') AS BIGINT), 20) AS min_listings
),
age AS (
    SELECT coalesce(source, '(not recorded)') AS source, min(_first_run) AS first_run
    FROM core.listings
    GROUP BY ALL
),
listings AS (
    SELECT coalesce(l.source, '(not recorded)') AS source, l.marketplace, l.category, l.listing_id,
           l.price_min_usd AS usd, a.first_run
    FROM core.current_listings AS l
    JOIN age AS a ON a.source = coalesce(l.source, '(not recorded)')
),
sources AS (
    SELECT marketplace, category, source, first_run, count(*) AS n
    FROM listings
    GROUP BY ALL
),
-- every source of a category beside every listing there, with how the
-- listing's source relates to it: older, peer (same first run), itself or
-- newer (never counted)
medians AS (
    SELECT s.marketplace, s.category, s.source,
           median(l.usd) FILTER (WHERE l.first_run < s.first_run) AS older_median,
           count(*) FILTER (WHERE l.first_run < s.first_run) AS older_n,
           median(l.usd) FILTER (WHERE l.first_run <= s.first_run AND l.source <> s.source) AS others_median,
           count(*) FILTER (WHERE l.first_run <= s.first_run AND l.source <> s.source) AS others_n,
           median(l.usd) FILTER (WHERE l.first_run <= s.first_run) AS own_median,
           count(*) FILTER (WHERE l.first_run <= s.first_run) AS own_n
    FROM sources AS s
    JOIN listings AS l ON l.marketplace = s.marketplace AND l.category = s.category
    GROUP BY ALL
),
reference AS (
    SELECT m.marketplace, m.category, m.source,
           CASE WHEN older_n >= min_listings THEN older_median
                WHEN others_n >= min_listings THEN others_median
                WHEN own_n >= min_listings THEN own_median END AS median_usd,
           CASE WHEN older_n >= min_listings THEN 'of older sources'
                WHEN others_n >= min_listings THEN 'of other sources'
                WHEN own_n >= min_listings THEN 'of its category' END AS median_of
    FROM medians AS m
    CROSS JOIN params
),
judged AS (
    SELECT l.*, r.median_usd, r.median_of,
           CASE WHEN l.usd < p.min_usd THEN 'under_min_usd'
                WHEN r.median_usd > 0 AND l.usd > r.median_usd * p.ratio THEN 'above_median'
                WHEN r.median_usd > 0 AND l.usd < r.median_usd / p.ratio THEN 'below_median' END AS verdict
    FROM listings AS l
    CROSS JOIN params AS p
    JOIN reference AS r ON r.marketplace = l.marketplace AND r.category = l.category AND r.source = l.source
),
flagged AS (
    SELECT *,
           -- most extreme first: furthest from the median by factor, then
           -- the cheapest (a price under the floor without a median)
           row_number() OVER (PARTITION BY source, marketplace
                              ORDER BY abs(ln(greatest(usd, 1e-12) / nullif(median_usd, 0))) DESC NULLS LAST, usd, listing_id) AS rank
    FROM judged
    WHERE verdict IS NOT NULL
),
per_source AS (
    SELECT source, marketplace, sum(n) AS listings
    FROM sources
    GROUP BY ALL
)
SELECT f.source,
       f.marketplace,
       any_value(ps.listings) AS listings,
       count(*) AS flagged,
       count(*) FILTER (WHERE verdict = 'below_median') AS below_median,
       count(*) FILTER (WHERE verdict = 'above_median') AS above_median,
       count(*) FILTER (WHERE verdict = 'under_min_usd') AS under_min_usd,
       median(usd / nullif(median_usd, 0)) AS typical_factor,
       string_agg(CASE WHEN median_usd IS NULL THEN printf('%s %s $%.4g (no median)', listing_id, category, usd)
                       ELSE printf('%s %s $%.4g (median $%.4g %s)', listing_id, category, usd, median_usd, median_of) END,
                  '; ' ORDER BY rank) FILTER (WHERE rank <= 3) AS worst_listings
FROM flagged AS f
JOIN per_source AS ps ON ps.source = f.source AND ps.marketplace = f.marketplace
GROUP BY f.source, f.marketplace
ORDER BY flagged DESC, f.source, f.marketplace
