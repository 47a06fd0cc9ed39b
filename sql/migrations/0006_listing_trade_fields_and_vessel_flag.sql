-- 0006_listing_trade_fields_and_vessel_flag: listings gain their optional
-- trade fields (HS subheading, list price and discount) and sailings the
-- vessel's MMSI and the flag its MID is allocated to. Every new column is
-- nullable: a source that does not map the field leaves it NULL, and rows
-- loaded before this migration keep NULL until a run sees them again.
--
-- ALTER TABLE ... ADD COLUMN appends, so in core these columns follow
-- _first_run, _last_run and _loaded_at; pipeline.TypedSchema lists them
-- after updated_at, its last column until now. The merge names its
-- columns, so the order in core does not matter to it.

ALTER TABLE core.listings ADD COLUMN hs_code VARCHAR;
ALTER TABLE core.listings ADD COLUMN list_price DOUBLE;
ALTER TABLE core.listings ADD COLUMN list_price_usd DOUBLE;
ALTER TABLE core.listings ADD COLUMN discount_pct DOUBLE;
COMMENT ON COLUMN core.listings.hs_code IS 'Harmonized System subheading, 6 digits (e.g. 620462), when the source gives one; it then sets hs_chapter. NULL when not given.';
COMMENT ON COLUMN core.listings.list_price IS 'Price before discount in currency (the source''s list or original price); NULL when not given.';
COMMENT ON COLUMN core.listings.list_price_usd IS 'list_price / fx_units_per_usd; NULL when list_price is.';
COMMENT ON COLUMN core.listings.discount_pct IS 'Discount in percent: as stated (checked against list_price and price_min within 0.5 points), else implied by list_price and price_min; NULL when neither is known.';

ALTER TABLE core.sailings ADD COLUMN mmsi VARCHAR;
ALTER TABLE core.sailings ADD COLUMN flag VARCHAR;
COMMENT ON COLUMN core.sailings.mmsi IS 'Maritime Mobile Service Identity of the vessel, 9 digits; NULL when not given.';
COMMENT ON COLUMN core.sailings.flag IS 'Flag state, ISO 3166 alpha-2, from the MMSI''s Maritime Identification Digits; NULL without an MMSI or when its MID is unknown.';

-- Comments that changed with the reference tables: a listing's chapter now
-- comes from its HS code when it has one, the catch-all category other has
-- no chapter (0), and Hamburg Süd is a canonical carrier.
COMMENT ON COLUMN core.listings.hs_chapter IS 'Harmonized System chapter (1-97): from hs_code when given, else the chapter most goods of the category fall in; 0 for category other, which has none (the price index leaves it out).';
COMMENT ON COLUMN core.sailings.carrier IS 'Canonical carrier name: PNSC, Maersk, MSC, CMA CGM, COSCO, Hapag-Lloyd, ONE, Evergreen, Hamburg Süd.';
