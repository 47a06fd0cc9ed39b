-- The monthly price index per HS chapter, with the categories the chapter
-- holds, in the date range.
WITH chapters AS (
    SELECT hs_chapter, string_agg(DISTINCT category, ', ' ORDER BY category) AS categories
    FROM core.listings
    WHERE $category = '' OR category_group = $category
    GROUP BY hs_chapter
)
SELECT p.hs_chapter,
       c.categories,
       p.month,
       p.listings,
       p.matched_listings,
       p.median_price_usd,
       p.price_change,
       p.price_index
FROM marts.price_index_monthly AS p
JOIN chapters AS c USING (hs_chapter)
WHERE p.month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
ORDER BY p.hs_chapter, p.month;
