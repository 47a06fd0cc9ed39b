-- 0002_core: one table per dataset, one row per natural key. The columns are
-- exactly pipeline.TypedSchema(dataset), in order, then _first_run, _last_run
-- and _loaded_at. warehouse tests compare these tables with TypedSchema, so a
-- change to either side must change both.

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
    _loaded_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (marketplace, listing_id)
);
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

CREATE TABLE core.listing_price_history (
    marketplace   VARCHAR NOT NULL,
    listing_id    VARCHAR NOT NULL,
    currency      VARCHAR NOT NULL,
    price_min     DOUBLE NOT NULL,
    price_max     DOUBLE NOT NULL,
    price_min_usd DOUBLE NOT NULL,
    price_max_usd DOUBLE NOT NULL,
    valid_from    TIMESTAMPTZ NOT NULL,
    valid_to      TIMESTAMPTZ,
    run_id        VARCHAR NOT NULL
);
COMMENT ON TABLE core.listing_price_history IS 'Listing prices over time (SCD type 2): a new row whenever currency, price_min or price_max changes.';
COMMENT ON COLUMN core.listing_price_history.marketplace IS 'Marketplace of the listing (core.listings).';
COMMENT ON COLUMN core.listing_price_history.listing_id IS 'Listing identifier (core.listings).';
COMMENT ON COLUMN core.listing_price_history.currency IS 'ISO 4217 currency of the prices.';
COMMENT ON COLUMN core.listing_price_history.price_min IS 'Lowest price in the original currency.';
COMMENT ON COLUMN core.listing_price_history.price_max IS 'Highest price in the original currency.';
COMMENT ON COLUMN core.listing_price_history.price_min_usd IS 'price_min in USD at the rate of the version''s date.';
COMMENT ON COLUMN core.listing_price_history.price_max_usd IS 'price_max in USD at the rate of the version''s date.';
COMMENT ON COLUMN core.listing_price_history.valid_from IS 'updated_at of the listing version that set this price (UTC).';
COMMENT ON COLUMN core.listing_price_history.valid_to IS 'updated_at of the version that replaced it (UTC); NULL for the current price.';
COMMENT ON COLUMN core.listing_price_history.run_id IS 'Run that recorded this price.';

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
    _loaded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (marketplace, seller_id)
);
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
    _loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sailing_id)
);
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
    _loaded_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rate_id)
);
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

CREATE TABLE core.fx_rates (
    date          DATE NOT NULL,
    currency      VARCHAR NOT NULL,
    units_per_usd DOUBLE NOT NULL,
    _first_run    VARCHAR NOT NULL,
    _last_run     VARCHAR NOT NULL,
    _loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (date, currency)
);
COMMENT ON TABLE core.fx_rates IS 'Daily exchange rates against the US dollar, one row per (date, currency).';
COMMENT ON COLUMN core.fx_rates.date IS 'Business day the rate applies to.';
COMMENT ON COLUMN core.fx_rates.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN core.fx_rates.units_per_usd IS 'Units of currency that buy one US dollar (1.0 for USD).';
COMMENT ON COLUMN core.fx_rates._first_run IS 'Run that first loaded this rate (meta.runs.run_id).';
COMMENT ON COLUMN core.fx_rates._last_run IS 'Run that last inserted or changed this row.';
COMMENT ON COLUMN core.fx_rates._loaded_at IS 'When this row was last written (UTC).';
