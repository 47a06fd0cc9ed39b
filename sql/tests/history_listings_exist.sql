-- scope: core.listing_price_history
-- Every price history row belongs to a listing in core.listings: the merge
-- writes both in one transaction, so an orphan is a bug.
SELECT h.marketplace, h.listing_id
FROM core.listing_price_history AS h
WHERE NOT EXISTS (SELECT 1 FROM core.listings AS l
                  WHERE l.marketplace = h.marketplace AND l.listing_id = h.listing_id)
