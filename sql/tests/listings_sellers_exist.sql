-- scope: core.listings
-- severity: warn
-- Every listing that names a seller names one in core.sellers (referential
-- integrity). A warning, not an error: marketplaces list products of sellers
-- whose profile is extracted later, by another source or not at all, and
-- such a listing is still a fact. The marts keep it with a NULL
-- seller_country, so a growing count here shows as a growing NULL country in
-- the dashboards. A listing with no seller_id (the source names no seller,
-- migration 0011) is an unknown seller, not a broken reference, and is not
-- counted here.
SELECT l.marketplace, l.seller_id, count(*) AS listings
FROM core.listings AS l
WHERE l.seller_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM core.sellers AS s
                  WHERE s.marketplace = l.marketplace AND s.seller_id = l.seller_id)
GROUP BY ALL
