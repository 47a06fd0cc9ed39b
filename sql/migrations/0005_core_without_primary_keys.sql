-- 0005_core_without_primary_keys: the core tables lose their PRIMARY KEY
-- constraints. One row per natural key is kept by the merge (it collapses the
-- staged rows to one per key and inserts only keys that core does not hold;
-- see mergeSQL in sql/warehouse/merge.go) and checked after every build by
-- the data test sql/tests/core_keys_unique.sql.
--
-- Why: DuckDB backs a PRIMARY KEY with an ART index that it keeps in memory,
-- and a transaction that inserts rows builds a second index of them until
-- it commits. Measured on the 1M-listing benchmark (256MB limit), the
-- listings key alone took 68 MB of DuckDB's memory (duckdb_memory(),
-- ART_INDEX), growing with the number of listings: about 700 MB at 10M,
-- more than a 256MB memory_limit, and a 10M run with that limit failed
-- with DuckDB's out-of-memory error inside the commit. Without the indexes
-- the merge's joins spill to disk like any other query.
--
-- DuckDB cannot drop a constraint (ALTER TABLE ... DROP CONSTRAINT is not
-- implemented), so each table is rebuilt: renamed aside, created again with
-- the same columns, types, NOT NULLs and comments as 0002_core.sql, filled
-- with the old rows and dropped. The migration runs in one transaction, so
-- a failure (or a kill) leaves the warehouse at version 4 with its data.
-- No view or mart refers to these tables by catalog dependency: marts are
-- tables rebuilt from core by each run, and the analyst views read meta.

-- core.listings: was PRIMARY KEY (marketplace, listing_id).
ALTER TABLE core.listings RENAME TO listings_0004;
CREATE TABLE core.listings (
    listing_id       VARCHAR NOT NULL,
    marketplace      VARCHAR NOT NULL,
    seller_id        VARCHAR NOT NULL,
    title            VARCHAR,
    category         VARCHAR NOT NULL,
    category_group   VARCHAR NOT NULL,
    hs_chapter       INTEGER NOT NULL,
    price_raw        VARCHAR,
    currency         VARCHAR NOT NULL,
    price_min        DOUBLE NOT NULL,
    price_max        DOUBLE NOT NULL,
    price_unit       VARCHAR,
    fx_units_per_usd DOUBLE NOT NULL,
    price_min_usd    DOUBLE NOT NULL,
    price_max_usd    DOUBLE NOT NULL,
    moq_qty          DOUBLE,
    moq_unit         VARCHAR,
    updated_at       TIMESTAMPTZ NOT NULL,
    _first_run       VARCHAR NOT NULL,
    _last_run        VARCHAR NOT NULL,
    _loaded_at       TIMESTAMPTZ NOT NULL
);
INSERT INTO core.listings SELECT * FROM core.listings_0004;
DROP TABLE core.listings_0004;
COMMENT ON TABLE core.listings IS 'Marketplace product listings, latest version per (marketplace, listing_id).';
COMMENT ON COLUMN core.listings.listing_id IS 'Listing identifier on its marketplace.';
COMMENT ON COLUMN core.listings.marketplace IS 'Marketplace domain: alibaba.com, daraz.pk or daraz.com.bd.';
COMMENT ON COLUMN core.listings.seller_id IS 'Seller identifier on the same marketplace (core.sellers).';
COMMENT ON COLUMN core.listings.title IS 'Listing title as published.';
COMMENT ON COLUMN core.listings.category IS 'Canonical category slug, e.g. apparel, home_textiles.';
COMMENT ON COLUMN core.listings.category_group IS 'Category group, e.g. textiles for HS chapters 50-63.';
COMMENT ON COLUMN core.listings.hs_chapter IS 'Harmonized System chapter (2 digits) most goods of the category fall in.';
COMMENT ON COLUMN core.listings.price_raw IS 'Price text exactly as the source sent it.';
COMMENT ON COLUMN core.listings.currency IS 'ISO 4217 currency of price_min and price_max.';
COMMENT ON COLUMN core.listings.price_min IS 'Lowest price in the original currency.';
COMMENT ON COLUMN core.listings.price_max IS 'Highest price in the original currency; equals price_min for a single price.';
COMMENT ON COLUMN core.listings.price_unit IS 'Canonical unit the price is per (piece, set, m, ...); NULL when not stated.';
COMMENT ON COLUMN core.listings.fx_units_per_usd IS 'Units of currency per USD on the UTC date of updated_at (nearest prior rate).';
COMMENT ON COLUMN core.listings.price_min_usd IS 'price_min / fx_units_per_usd.';
COMMENT ON COLUMN core.listings.price_max_usd IS 'price_max / fx_units_per_usd.';
COMMENT ON COLUMN core.listings.moq_qty IS 'Minimum order quantity in moq_unit; NULL when the marketplace has none.';
COMMENT ON COLUMN core.listings.moq_unit IS 'Canonical unit of moq_qty: piece, set, pair, kg, m, ...';
COMMENT ON COLUMN core.listings.updated_at IS 'When the marketplace last changed the listing (UTC); orders versions.';
COMMENT ON COLUMN core.listings._first_run IS 'Run that first loaded this listing (meta.runs.run_id).';
COMMENT ON COLUMN core.listings._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.listings._loaded_at IS 'When this row was last written (UTC).';

-- core.sellers: was PRIMARY KEY (marketplace, seller_id).
ALTER TABLE core.sellers RENAME TO sellers_0004;
CREATE TABLE core.sellers (
    seller_id   VARCHAR NOT NULL,
    marketplace VARCHAR NOT NULL,
    name        VARCHAR,
    country     VARCHAR NOT NULL,
    city        VARCHAR,
    joined_at   TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    _first_run  VARCHAR NOT NULL,
    _last_run   VARCHAR NOT NULL,
    _loaded_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO core.sellers SELECT * FROM core.sellers_0004;
DROP TABLE core.sellers_0004;
COMMENT ON TABLE core.sellers IS 'Marketplace sellers, latest version per (marketplace, seller_id).';
COMMENT ON COLUMN core.sellers.seller_id IS 'Seller identifier on its marketplace.';
COMMENT ON COLUMN core.sellers.marketplace IS 'Marketplace domain: alibaba.com, daraz.pk or daraz.com.bd.';
COMMENT ON COLUMN core.sellers.name IS 'Seller or company name.';
COMMENT ON COLUMN core.sellers.country IS 'ISO 3166 alpha-2 country of the seller.';
COMMENT ON COLUMN core.sellers.city IS 'City as published.';
COMMENT ON COLUMN core.sellers.joined_at IS 'When the seller joined the marketplace (UTC).';
COMMENT ON COLUMN core.sellers.updated_at IS 'When the marketplace last changed the seller (UTC); orders versions.';
COMMENT ON COLUMN core.sellers._first_run IS 'Run that first loaded this seller (meta.runs.run_id).';
COMMENT ON COLUMN core.sellers._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.sellers._loaded_at IS 'When this row was last written (UTC).';

-- core.sailings: was PRIMARY KEY (sailing_id).
ALTER TABLE core.sailings RENAME TO sailings_0004;
CREATE TABLE core.sailings (
    sailing_id   VARCHAR NOT NULL,
    carrier      VARCHAR NOT NULL,
    vessel       VARCHAR,
    imo          VARCHAR,
    voyage       VARCHAR,
    origin       VARCHAR NOT NULL,
    destination  VARCHAR NOT NULL,
    etd          TIMESTAMPTZ NOT NULL,
    eta          TIMESTAMPTZ NOT NULL,
    ata          TIMESTAMPTZ,
    transit_days DOUBLE,
    delay_days   DOUBLE,
    updated_at   TIMESTAMPTZ NOT NULL,
    _first_run   VARCHAR NOT NULL,
    _last_run    VARCHAR NOT NULL,
    _loaded_at   TIMESTAMPTZ NOT NULL
);
INSERT INTO core.sailings SELECT * FROM core.sailings_0004;
DROP TABLE core.sailings_0004;
COMMENT ON TABLE core.sailings IS 'Vessel sailings with scheduled and actual times, latest version per sailing_id.';
COMMENT ON COLUMN core.sailings.sailing_id IS 'Sailing identifier.';
COMMENT ON COLUMN core.sailings.carrier IS 'Canonical carrier name: PNSC, Maersk, MSC, CMA CGM, COSCO, Hapag-Lloyd, ONE, Evergreen.';
COMMENT ON COLUMN core.sailings.vessel IS 'Vessel name.';
COMMENT ON COLUMN core.sailings.imo IS 'IMO number, 7 digits with a verified check digit.';
COMMENT ON COLUMN core.sailings.voyage IS 'Carrier voyage number.';
COMMENT ON COLUMN core.sailings.origin IS 'Port of loading, UN/LOCODE (e.g. PKKHI).';
COMMENT ON COLUMN core.sailings.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN core.sailings.etd IS 'Estimated time of departure (UTC).';
COMMENT ON COLUMN core.sailings.eta IS 'Estimated time of arrival (UTC).';
COMMENT ON COLUMN core.sailings.ata IS 'Actual time of arrival (UTC); NULL until the vessel has arrived.';
COMMENT ON COLUMN core.sailings.transit_days IS '(ata - etd) in seconds / 86400.0; NULL until arrival.';
COMMENT ON COLUMN core.sailings.delay_days IS '(ata - eta) in seconds / 86400.0; negative when early, NULL until arrival.';
COMMENT ON COLUMN core.sailings.updated_at IS 'When the source last changed the sailing (UTC); orders versions.';
COMMENT ON COLUMN core.sailings._first_run IS 'Run that first loaded this sailing (meta.runs.run_id).';
COMMENT ON COLUMN core.sailings._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.sailings._loaded_at IS 'When this row was last written (UTC).';

-- core.freight_rates: was PRIMARY KEY (rate_id).
ALTER TABLE core.freight_rates RENAME TO freight_rates_0004;
CREATE TABLE core.freight_rates (
    rate_id          VARCHAR NOT NULL,
    carrier          VARCHAR NOT NULL,
    origin           VARCHAR NOT NULL,
    destination      VARCHAR NOT NULL,
    equipment        VARCHAR NOT NULL,
    valid_from       DATE NOT NULL,
    currency         VARCHAR NOT NULL,
    amount           DOUBLE NOT NULL,
    fx_units_per_usd DOUBLE NOT NULL,
    amount_usd       DOUBLE NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    _first_run       VARCHAR NOT NULL,
    _last_run        VARCHAR NOT NULL,
    _loaded_at       TIMESTAMPTZ NOT NULL
);
INSERT INTO core.freight_rates SELECT * FROM core.freight_rates_0004;
DROP TABLE core.freight_rates_0004;
COMMENT ON TABLE core.freight_rates IS 'Container freight rates per carrier, route and equipment, latest version per rate_id.';
COMMENT ON COLUMN core.freight_rates.rate_id IS 'Rate identifier.';
COMMENT ON COLUMN core.freight_rates.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN core.freight_rates.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN core.freight_rates.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN core.freight_rates.equipment IS 'Container type: 20GP, 40GP or 40HC.';
COMMENT ON COLUMN core.freight_rates.valid_from IS 'First day the rate applies.';
COMMENT ON COLUMN core.freight_rates.currency IS 'ISO 4217 currency of amount.';
COMMENT ON COLUMN core.freight_rates.amount IS 'Rate per container in the original currency.';
COMMENT ON COLUMN core.freight_rates.fx_units_per_usd IS 'Units of currency per USD on valid_from (nearest prior rate).';
COMMENT ON COLUMN core.freight_rates.amount_usd IS 'amount / fx_units_per_usd.';
COMMENT ON COLUMN core.freight_rates.updated_at IS 'When the source last changed the rate (UTC); orders versions.';
COMMENT ON COLUMN core.freight_rates._first_run IS 'Run that first loaded this rate (meta.runs.run_id).';
COMMENT ON COLUMN core.freight_rates._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.freight_rates._loaded_at IS 'When this row was last written (UTC).';

-- core.fx_rates: was PRIMARY KEY (date, currency).
ALTER TABLE core.fx_rates RENAME TO fx_rates_0004;
CREATE TABLE core.fx_rates (
    date          DATE NOT NULL,
    currency      VARCHAR NOT NULL,
    units_per_usd DOUBLE NOT NULL,
    _first_run    VARCHAR NOT NULL,
    _last_run     VARCHAR NOT NULL,
    _loaded_at    TIMESTAMPTZ NOT NULL
);
INSERT INTO core.fx_rates SELECT * FROM core.fx_rates_0004;
DROP TABLE core.fx_rates_0004;
COMMENT ON TABLE core.fx_rates IS 'Daily exchange rates against the US dollar, one row per (date, currency).';
COMMENT ON COLUMN core.fx_rates.date IS 'Business day the rate applies to.';
COMMENT ON COLUMN core.fx_rates.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN core.fx_rates.units_per_usd IS 'Units of currency that buy one US dollar (1.0 for USD).';
COMMENT ON COLUMN core.fx_rates._first_run IS 'Run that first loaded this rate (meta.runs.run_id).';
COMMENT ON COLUMN core.fx_rates._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.fx_rates._loaded_at IS 'When this row was last written (UTC).';
