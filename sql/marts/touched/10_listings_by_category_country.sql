-- The groups of marts.listings_by_category_country that tonight's changes
-- touch: every (marketplace, category, seller_country) a changed listing
-- was counted under before the run or is counted under after it, under
-- any country its seller had tonight, and, for a seller whose row changed,
-- every group its listings fall in under its old country, its new one and
-- none (a listing counts under a NULL country while its seller is not in
-- core.sellers). A listing and its seller both changing in one night (a
-- new seller, a listing changing category) needs every pairing.
WITH listing_states AS (
    SELECT marketplace, category, seller_id FROM before_listings
    UNION ALL
    SELECT l.marketplace, l.category, l.seller_id
    FROM core.listings AS l
    SEMI JOIN changed_listings AS c ON c.marketplace = l.marketplace AND c.listing_id = l.listing_id
),
-- Every country a seller had tonight: now, before, and none for a seller
-- whose row changed (it may be new tonight, and its listings counted under
-- NULL until now).
seller_states AS (
    SELECT marketplace, seller_id, country FROM core.sellers
    UNION ALL
    SELECT marketplace, seller_id, country FROM before_sellers
    UNION ALL
    SELECT marketplace, seller_id, NULL FROM changed_sellers
),
changed_seller_countries AS (
    SELECT marketplace, seller_id, country FROM before_sellers
    UNION ALL
    SELECT s.marketplace, s.seller_id, s.country
    FROM core.sellers AS s
    SEMI JOIN changed_sellers AS c ON c.marketplace = s.marketplace AND c.seller_id = s.seller_id
    UNION ALL
    SELECT marketplace, seller_id, NULL FROM changed_sellers
)
SELECT l.marketplace, l.category, s.country AS seller_country
FROM listing_states AS l
LEFT JOIN seller_states AS s ON s.marketplace = l.marketplace AND s.seller_id = l.seller_id
UNION
SELECT l.marketplace, l.category, c.country
FROM core.listings AS l
JOIN changed_seller_countries AS c ON c.marketplace = l.marketplace AND c.seller_id = l.seller_id
