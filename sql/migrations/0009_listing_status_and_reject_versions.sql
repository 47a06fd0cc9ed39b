-- 0009_listing_status_and_reject_versions: what an analyst needs to tell a
-- current listing from one that is not.
--
-- Typed columns (pipeline.TypedSchema appends them after discount_pct):
--   discount_mismatch: a stated discount that disagrees with the prices is a
--     flag on a kept listing, never a reason to drop it;
--   source: the configured source that loaded the version, so a source that
--     returns its whole catalogue can delist what it no longer returns.
-- Columns the warehouse keeps itself (not staged, set by the merge):
--   delisted_at, withdrawn_at and withdrawn_reason.
-- meta.rejects keeps the rejected record's version, which decides whether a
-- reject is the newest word on its key.

ALTER TABLE core.listings ADD COLUMN discount_mismatch BOOLEAN;
ALTER TABLE core.listings ADD COLUMN source VARCHAR;
ALTER TABLE core.listings ADD COLUMN delisted_at TIMESTAMPTZ;
ALTER TABLE core.listings ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE core.listings ADD COLUMN withdrawn_reason VARCHAR;
COMMENT ON COLUMN core.listings.discount_mismatch IS 'true when the stated discount is not the one list_price and price_min imply (rounded down, half up or up, within normalise.discount_tolerance points): the listing is kept and flagged. false when they agree, NULL when there was nothing to check.';
COMMENT ON COLUMN core.listings.source IS 'Configured source that loaded this version (sources[].name); NULL for rows loaded before it was recorded.';
COMMENT ON COLUMN core.listings.delisted_at IS 'When a source that returns its whole catalogue (delist_missing: true) first completed a run without this listing (UTC); NULL while it is listed. Marts count only listings with delisted_at and withdrawn_at NULL.';
COMMENT ON COLUMN core.listings.withdrawn_at IS 'updated_at of a newer version that could not be used (a reject, see meta.rejects for the key): the row keeps its last good state, which is not current. NULL when the newest version is the one stored.';
COMMENT ON COLUMN core.listings.withdrawn_reason IS 'Reason the newest version was rejected (as in meta.rejects.reason); NULL unless withdrawn_at is set.';
COMMENT ON TABLE core.listings IS 'Marketplace product listings, latest usable version per (marketplace, listing_id). Current listings are those with delisted_at and withdrawn_at NULL (the view core.current_listings, migration 0012).';

ALTER TABLE meta.rejects ADD COLUMN version TIMESTAMPTZ;
COMMENT ON COLUMN meta.rejects.version IS 'The rejected record''s version (its updated_at, or date for FX rates) when it could be read; a reject newer than every usable version of its key withdraws the key (core.listings.withdrawn_at).';


-- What the merge did beyond inserting and updating, per step.
ALTER TABLE meta.run_steps ADD COLUMN backfilled BIGINT;
ALTER TABLE meta.run_steps ADD COLUMN withdrawn BIGINT;
ALTER TABLE meta.run_steps ADD COLUMN delisted BIGINT;
ALTER TABLE meta.run_steps ADD COLUMN relisted BIGINT;
COMMENT ON COLUMN meta.run_steps.backfilled IS 'Keys whose newest version this run was older than the stored one: core kept its row, the price history took the version (a backfill).';
COMMENT ON COLUMN meta.run_steps.withdrawn IS 'Keys whose newest version this run was unusable (core.listings.withdrawn_at).';
COMMENT ON COLUMN meta.run_steps.delisted IS 'Listings a source with delist_missing no longer returned (core.listings.delisted_at).';
COMMENT ON COLUMN meta.run_steps.relisted IS 'Delisted listings a source returned again.';

-- Carriers became data: a built-in table of the main lines and those calling
-- at Pakistani ports, which a config can extend.
COMMENT ON COLUMN core.sailings.carrier IS 'Canonical carrier name: one of the built-in lines (PNSC, Maersk, MSC, CMA CGM, COSCO, Hapag-Lloyd, ONE, Evergreen, Yang Ming, HMM, OOCL, ZIM, Wan Hai, PIL, ... as the README lists) or one a config adds under carriers:.';

-- A stated discount is a flag now, not a check that rejects.
COMMENT ON COLUMN core.listings.discount_pct IS 'Discount in percent: as stated (held to list_price and price_min, see discount_mismatch), else implied by list_price and price_min; NULL when neither is known or a stated one is above 100.';
