-- Listing price history (SCD type 2), run inside the commit transaction after
-- merge_changes holds this run's latest version of each staged listing and
-- before core.listings is updated. _action is insert (new key), update (a
-- newer, different row), same or stale (older than core); only the first two
-- can carry a new price. getvariable('exportpipe_run_id') is the committing run.

-- Close the open price of every listing whose price changed. valid_to is the
-- updated_at of the version that changed it, so periods never overlap.
UPDATE core.listing_price_history AS h
SET valid_to = c.updated_at
FROM merge_changes AS c
WHERE c._action IN ('insert', 'update')
  AND h.marketplace = c.marketplace
  AND h.listing_id = c.listing_id
  AND h.valid_to IS NULL
  AND (h.currency IS DISTINCT FROM c.currency
       OR h.price_min IS DISTINCT FROM c.price_min
       OR h.price_max IS DISTINCT FROM c.price_max);

-- Open a price for every listing that now has none: new listings, the ones
-- just closed, and any listing loaded before history was kept.
INSERT INTO core.listing_price_history
SELECT c.marketplace, c.listing_id, c.currency, c.price_min, c.price_max,
       c.price_min_usd, c.price_max_usd, c.updated_at, NULL,
       getvariable('exportpipe_run_id')
FROM merge_changes AS c
WHERE c._action IN ('insert', 'update')
  AND NOT EXISTS (
      SELECT 1 FROM core.listing_price_history AS h
      WHERE h.marketplace = c.marketplace
        AND h.listing_id = c.listing_id
        AND h.valid_to IS NULL);
