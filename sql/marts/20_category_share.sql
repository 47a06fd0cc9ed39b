-- grain: category_group
-- not null: category_group, share
-- reads: listings
-- maintained: full: each group's share divides by the count of every group, so one changed listing changes every row
--
-- Which category groups dominate (textiles above all): each group's share of
-- all current listings (core.current_listings: neither delisted nor
-- withdrawn).
CREATE OR REPLACE TABLE marts.category_share AS
SELECT category_group,
       count(*) AS listings,
       CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS share
FROM core.current_listings
GROUP BY category_group
ORDER BY listings DESC, category_group;

COMMENT ON TABLE marts.category_share IS 'Share of all listings per category group. Key: category_group.';
COMMENT ON COLUMN marts.category_share.category_group IS 'Category group, e.g. textiles.';
COMMENT ON COLUMN marts.category_share.listings IS 'Number of distinct listings in the group.';
COMMENT ON COLUMN marts.category_share.share IS 'listings / all listings, between 0 and 1.';
