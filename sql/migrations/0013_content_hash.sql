-- 0013_content_hash: every core table keeps, per natural key, a hash of the
-- content the merge compares (every typed column but the key), so a staged
-- row that repeats the stored one is recognised by one comparison and does
-- no merge work, writes no version and marks nothing changed. Rows loaded
-- before this migration have none until they next change; until then the
-- merge compares them column by column, as it always did.
-- Then the view core.current_listings again, since it must list every
-- column of core.listings (see 0012).
ALTER TABLE core.listings ADD COLUMN _content_hash UBIGINT;
ALTER TABLE core.sellers ADD COLUMN _content_hash UBIGINT;
ALTER TABLE core.sailings ADD COLUMN _content_hash UBIGINT;
ALTER TABLE core.freight_rates ADD COLUMN _content_hash UBIGINT;
ALTER TABLE core.fx_rates ADD COLUMN _content_hash UBIGINT;
COMMENT ON COLUMN core.listings._content_hash IS 'hash() of every loaded column but the key, as the merge computed it from the staged row; a staged row with the same hash is unchanged and skipped. NULL for rows not written since migration 0013.';
COMMENT ON COLUMN core.sellers._content_hash IS 'hash() of every loaded column but the key, as the merge computed it from the staged row; a staged row with the same hash is unchanged and skipped. NULL for rows not written since migration 0013.';
COMMENT ON COLUMN core.sailings._content_hash IS 'hash() of every loaded column but the key, as the merge computed it from the staged row; a staged row with the same hash is unchanged and skipped. NULL for rows not written since migration 0013.';
COMMENT ON COLUMN core.freight_rates._content_hash IS 'hash() of every loaded column but the key, as the merge computed it from the staged row; a staged row with the same hash is unchanged and skipped. NULL for rows not written since migration 0013.';
COMMENT ON COLUMN core.fx_rates._content_hash IS 'hash() of every loaded column but the key, as the merge computed it from the staged row; a staged row with the same hash is unchanged and skipped. NULL for rows not written since migration 0013.';

DROP VIEW core.current_listings;
CREATE VIEW core.current_listings AS
SELECT * FROM core.listings WHERE delisted_at IS NULL AND withdrawn_at IS NULL;
COMMENT ON VIEW core.current_listings IS 'Listings a marketplace shows now: core.listings without the delisted and the withdrawn. Marts that count listings read this view.';
-- The view's columns mean what core.listings' columns mean.
COMMENT ON COLUMN core.current_listings.listing_id IS 'Listing identifier on its marketplace.';
COMMENT ON COLUMN core.current_listings.marketplace IS 'Marketplace domain: a built-in one (alibaba.com, daraz.pk, daraz.com.bd) or one a config adds under marketplaces:.';
COMMENT ON COLUMN core.current_listings.seller_id IS 'Seller identifier on the same marketplace (core.sellers); NULL when the source names no seller (an unknown seller, counted under a NULL seller_country in the marts).';
COMMENT ON COLUMN core.current_listings.title IS 'Listing title as published.';
COMMENT ON COLUMN core.current_listings.category IS 'Canonical category slug, e.g. apparel, home_textiles.';
COMMENT ON COLUMN core.current_listings.category_group IS 'Category group, e.g. textiles for HS chapters 50-63.';
COMMENT ON COLUMN core.current_listings.hs_chapter IS 'Harmonized System chapter (1-97): from hs_code when given, else the chapter most goods of the category fall in; 0 for category other, which has none (the price index leaves it out).';
COMMENT ON COLUMN core.current_listings.price_raw IS 'Price text exactly as the source sent it.';
COMMENT ON COLUMN core.current_listings.currency IS 'ISO 4217 currency of price_min and price_max.';
COMMENT ON COLUMN core.current_listings.price_min IS 'Lowest price in the original currency.';
COMMENT ON COLUMN core.current_listings.price_max IS 'Highest price in the original currency; equals price_min for a single price.';
COMMENT ON COLUMN core.current_listings.price_unit IS 'Canonical unit the price is per (piece, set, m, ...); NULL when not stated.';
COMMENT ON COLUMN core.current_listings.fx_units_per_usd IS 'Units of currency per USD on the UTC date of updated_at (nearest prior rate).';
COMMENT ON COLUMN core.current_listings.price_min_usd IS 'price_min / fx_units_per_usd.';
COMMENT ON COLUMN core.current_listings.price_max_usd IS 'price_max / fx_units_per_usd.';
COMMENT ON COLUMN core.current_listings.moq_qty IS 'Minimum order quantity in moq_unit; NULL when the marketplace has none.';
COMMENT ON COLUMN core.current_listings.moq_unit IS 'Canonical unit of moq_qty: piece, set, pair, kg, m, ...';
COMMENT ON COLUMN core.current_listings.updated_at IS 'When the marketplace last changed the listing (UTC); orders versions.';
COMMENT ON COLUMN core.current_listings._first_run IS 'Run that first loaded this listing (meta.runs.run_id).';
COMMENT ON COLUMN core.current_listings._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.current_listings._loaded_at IS 'When this row was last written (UTC).';
COMMENT ON COLUMN core.current_listings.hs_code IS 'Harmonized System subheading, 6 digits (e.g. 620462), when the source gives one; it then sets hs_chapter. NULL when not given.';
COMMENT ON COLUMN core.current_listings.list_price IS 'Price before discount in currency (the source''s list or original price); NULL when not given.';
COMMENT ON COLUMN core.current_listings.list_price_usd IS 'list_price / fx_units_per_usd; NULL when list_price is.';
COMMENT ON COLUMN core.current_listings.discount_pct IS 'Discount in percent: as stated (held to list_price and price_min, see discount_mismatch), else implied by list_price and price_min; NULL when neither is known or a stated one is above 100.';
COMMENT ON COLUMN core.current_listings.discount_mismatch IS 'true when the stated discount is not the one list_price and price_min imply (rounded down, half up or up, within normalise.discount_tolerance points): the listing is kept and flagged. false when they agree, NULL when there was nothing to check.';
COMMENT ON COLUMN core.current_listings.source IS 'Configured source that loaded this version (sources[].name); NULL for rows loaded before it was recorded.';
COMMENT ON COLUMN core.current_listings.delisted_at IS 'When a source that returns its whole catalogue (delist_missing: true) first completed a run without this listing (UTC); NULL while it is listed. Marts count only listings with delisted_at and withdrawn_at NULL.';
COMMENT ON COLUMN core.current_listings.withdrawn_at IS 'updated_at of a newer version that could not be used (a reject, see meta.rejects for the key): the row keeps its last good state, which is not current. NULL when the newest version is the one stored.';
COMMENT ON COLUMN core.current_listings.withdrawn_reason IS 'Reason the newest version was rejected (as in meta.rejects.reason); NULL unless withdrawn_at is set.';
COMMENT ON COLUMN core.current_listings.attributes IS 'JSON object of source fields with no canonical column, as the source''s keep: names them (keep: ["*"] keeps every unmapped field); values are text as sent. Query with json_extract_string(attributes, ''$.brandName''). NULL when the source keeps none.';
COMMENT ON COLUMN core.current_listings._content_hash IS 'Hash of the row''s loaded content (core.listings._content_hash).';
