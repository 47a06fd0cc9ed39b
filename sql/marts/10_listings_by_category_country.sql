-- grain: marketplace, category, seller_country
-- not null: marketplace, category, listings
-- reads: listings, sellers
-- maintained: incremental
--
-- How many products are listed, where, and in which categories: one row per
-- marketplace, category and seller country, counting current listings
-- (core.current_listings: neither delisted nor withdrawn). Listings are attributed to the
-- seller's country by joining on (marketplace, seller_id); a listing whose
-- seller is not in core.sellers keeps a NULL seller_country rather than
-- disappearing from the totals.
CREATE OR REPLACE TABLE marts.listings_by_category_country AS
SELECT l.marketplace,
       l.category,
       l.category_group,
       l.hs_chapter,
       s.country AS seller_country,
       count(*) AS listings
FROM core.current_listings AS l
LEFT JOIN core.sellers AS s
       ON s.marketplace = l.marketplace AND s.seller_id = l.seller_id
GROUP BY ALL
ORDER BY ALL;

COMMENT ON TABLE marts.listings_by_category_country IS 'Distinct listings per marketplace, category and seller country. Key: marketplace, category, seller_country.';
COMMENT ON COLUMN marts.listings_by_category_country.marketplace IS 'Marketplace domain.';
COMMENT ON COLUMN marts.listings_by_category_country.category IS 'Canonical category slug.';
COMMENT ON COLUMN marts.listings_by_category_country.category_group IS 'Category group, e.g. textiles.';
COMMENT ON COLUMN marts.listings_by_category_country.hs_chapter IS 'Harmonized System chapter of the category.';
COMMENT ON COLUMN marts.listings_by_category_country.seller_country IS 'ISO 3166 alpha-2 country of the seller; NULL when the seller is unknown.';
COMMENT ON COLUMN marts.listings_by_category_country.listings IS 'Number of distinct listings.';
