-- severity: warn
-- Every listing's seller is in core.sellers (referential integrity). A
-- warning, not an error: marketplaces list products of sellers whose profile
-- is extracted later, by another source or not at all, and such a listing is
-- still a fact. The marts keep it with a NULL seller_country, so a growing
-- count here shows as a growing NULL country in the dashboards.
SELECT l.marketplace, l.seller_id, count(*) AS listings
FROM core.listings AS l
WHERE NOT EXISTS (SELECT 1 FROM core.sellers AS s
                  WHERE s.marketplace = l.marketplace AND s.seller_id = l.seller_id)
GROUP BY ALL
