-- The "just use DuckDB" baseline: the listings normalisation exportpipe does,
-- written as the DuckDB SQL a user who knows DuckDB well would write, over the
-- same workload files and into the same shape of table in a DuckDB file.
-- bench/duckdbalone puts the listings reader below (listings_ndjson.sql or
-- listings_csv.sql) and the workload folder in.
--
-- Tuning, each measured at 1M listings (BENCHMARKS.md has the figures):
--   * preserve_insertion_order off: nothing below needs file order, and
--     with it on every CREATE TABLE AS keeps an order nobody reads.
--   * The exact-duplicate collapse is materialised first. read_json and
--     read_csv with explicit columns tell the planner "about 42 rows"
--     whatever the file holds; planned on that guess, joins further down
--     become nested loops. A table has its true count.
--   * Expressions test before they rewrite: a title is only regex-cleaned
--     when it has a run of whitespace or a tab/newline, prices are split
--     with string functions, and each timestamp format is tried only on
--     values of its shape.
--   * FX: there are a few thousand distinct (currency, day) pairs, so the
--     ASOF join runs on those and the rate is hash-joined back.
--   * Only the results (listings, rejects) are written to the file; the
--     steps between are TEMP tables, which DuckDB keeps in memory (spilling
--     if it must) instead of compressing and writing them: reading the
--     listings into a file table took 3x as long as into a TEMP one.
--   * The latest version per key: arg_max over row ids (see below).
--   * Rejects are decided in the same pass as parsing and split off after.
SET TimeZone = 'UTC';
SET preserve_insertion_order = false;

CREATE OR REPLACE TEMP TABLE fx AS
SELECT CAST(date AS DATE) AS d, currency, units_per_usd
FROM read_json('@WORKLOAD@/fx_rates.ndjson', format = 'newline_delimited',
               columns = {date: 'VARCHAR', currency: 'VARCHAR', units_per_usd: 'DOUBLE'});

CREATE OR REPLACE TEMP TABLE category_map AS
SELECT * FROM (VALUES
  ('apparel', 'apparel'), ('garments', 'apparel'), ('clothing', 'apparel'), ('apparel & accessories', 'apparel'),
  ('home textiles', 'home_textiles'), ('home textile', 'home_textiles'), ('bed linen', 'home_textiles'), ('towels', 'home_textiles'),
  ('fabric', 'fabric'), ('fabrics', 'fabric'), ('cotton fabric', 'fabric'), ('yarn', 'yarn'), ('cotton yarn', 'yarn'),
  ('sports goods', 'sports_goods'), ('sporting goods', 'sports_goods'), ('sports & entertainment', 'sports_goods'),
  ('surgical instruments', 'surgical_instruments'), ('medical instruments', 'surgical_instruments'),
  ('leather goods', 'leather_goods'), ('leather products', 'leather_goods'), ('footwear', 'footwear'), ('shoes', 'footwear'),
  ('rice', 'rice'), ('basmati rice', 'rice'), ('furniture', 'furniture'), ('handicrafts', 'handicrafts'), ('handicraft', 'handicrafts'),
  ('electronics', 'electronics'), ('consumer electronics', 'electronics')
) AS t(variant, slug);

-- Exact duplicate records (the same line sent twice) collapse here, each
-- remembering how many copies it stood for, so counts still reconcile:
-- extracted = sum(copies). Every column is text, as the source sent it.
-- The workload has no hs_code, list_price, discount or attributes (the
-- CSV's columns for them are empty), so they are not read.
CREATE OR REPLACE TEMP TABLE raw_listings AS
SELECT id, marketplace, seller_id, title, category, price, moq, updated_at, count(*) AS copies
FROM @LISTINGS@
GROUP BY id, marketplace, seller_id, title, category, price, moq, updated_at;

-- @normalise: from here to @end is the normalisation alone, which
-- BenchmarkNormaliseSQL (sql/warehouse) times against the Arrow transforms.
CREATE OR REPLACE TEMP TABLE parsed AS
WITH p AS (
  SELECT r.*, c.slug AS category_slug,
    nullif(trim(replace(replace(coalesce(r.price, ''), chr(160), ' '), chr(8239), ' ')), '') AS pr
  FROM raw_listings r LEFT JOIN category_map c ON c.variant = lower(trim(r.category))
), s AS (
  SELECT *,
    -- The text before the first digit or minus sign names the currency,
    -- "/ Piece" after the amount names the unit.
    rtrim(regexp_extract(pr, '^[^0-9-]*')) AS cur_text,
    split_part(pr, '/', 1) AS amount_text,
    lower(trim(split_part(pr, '/', 2))) AS unit_word,
    regexp_matches(pr, '^[^0-9]*-') AS negative,
    trim(moq) AS m
  FROM p
), n AS (
  SELECT *,
    CASE cur_text
      WHEN '' THEN CASE marketplace WHEN 'daraz.pk' THEN 'PKR' WHEN 'daraz.com.bd' THEN 'BDT' WHEN 'alibaba.com' THEN 'USD' END
      WHEN 'US $' THEN 'USD' WHEN 'US$' THEN 'USD' WHEN 'USD' THEN 'USD' WHEN '$' THEN 'USD'
      WHEN 'Rs.' THEN 'PKR' WHEN 'Rs' THEN 'PKR' WHEN 'PKR' THEN 'PKR'
      WHEN '৳' THEN 'BDT' WHEN 'Tk' THEN 'BDT' WHEN 'BDT' THEN 'BDT'
      WHEN '€' THEN 'EUR' WHEN 'EUR' THEN 'EUR' WHEN '¥' THEN 'CNY' WHEN 'CNY' THEN 'CNY' WHEN 'RMB' THEN 'CNY'
      WHEN 'AED' THEN 'AED'
    END AS currency,
    -- "USD 465.00-USD 550.00", "US $2.10 - 3.67": the low side before the
    -- dash, the high side after it; digits, commas and the point kept.
    try_cast(replace(regexp_extract(split_part(amount_text, '-', 1), '[0-9][0-9,]*(\.[0-9]+)?'), ',', '') AS DOUBLE) AS lo,
    try_cast(replace(regexp_extract(split_part(amount_text, '-', 2), '[0-9][0-9,]*(\.[0-9]+)?'), ',', '') AS DOUBLE) AS hi,
    try_cast(split_part(m, ' ', 1) AS DOUBLE) AS moq_n,
    lower(split_part(m, ' ', 2)) AS moq_word,
    CASE
      WHEN updated_at IS NULL THEN NULL
      -- "Tue, 16 Sep 2025 23:51:27 +0300" has a T too: the comma first.
      WHEN contains(updated_at, ',') THEN try_strptime(updated_at, '%a, %d %b %Y %H:%M:%S %z')
      WHEN contains(updated_at, 'T') THEN try_cast(updated_at AS TIMESTAMPTZ)
      WHEN contains(updated_at, ':') THEN try_strptime(updated_at, '%Y-%m-%d %H:%M:%S %z')
      ELSE to_timestamp(try_cast(updated_at AS BIGINT))
    END AS ts
  FROM s
)
SELECT id, marketplace, seller_id,
  CASE WHEN regexp_matches(title, '\s\s|[\t\n\r\f]') THEN trim(regexp_replace(title, '\s\s+|[\t\n\r\f]', ' ', 'g'))
       ELSE trim(title) END AS title,
  category, category_slug, price, pr, currency, lo AS price_min, coalesce(hi, lo) AS price_max,
  CASE unit_word WHEN 'piece' THEN 'piece' WHEN 'pieces' THEN 'piece' WHEN 'set' THEN 'set' WHEN 'sets' THEN 'set'
                 WHEN 'meter' THEN 'm' WHEN 'meters' THEN 'm' END AS price_unit,
  CASE WHEN moq_word IN ('ton', 'tons') THEN moq_n * 1000 WHEN moq_word IN ('dozen', 'dozens') THEN moq_n * 12 ELSE moq_n END AS moq_qty,
  CASE moq_word WHEN 'pieces' THEN 'piece' WHEN 'piece' THEN 'piece' WHEN 'sets' THEN 'set' WHEN 'set' THEN 'set'
                WHEN 'pairs' THEN 'pair' WHEN 'pair' THEN 'pair' WHEN 'ton' THEN 'kg' WHEN 'tons' THEN 'kg'
                WHEN 'kilograms' THEN 'kg' WHEN 'meters' THEN 'm' WHEN 'dozens' THEN 'piece' WHEN 'dozen' THEN 'piece' END AS moq_unit,
  ts AS updated_at, copies, moq, updated_at AS updated_at_raw,
  -- exportpipe's reject fields and codes, in the order it checks them.
  CASE
    WHEN nullif(trim(id), '') IS NULL THEN 'listing_id'
    WHEN nullif(trim(marketplace), '') IS NULL THEN 'marketplace'
    WHEN category_slug IS NULL THEN 'category'
    WHEN pr IS NULL OR lo IS NULL OR negative OR currency IS NULL THEN 'price'
    WHEN ts IS NULL THEN 'updated_at'
  END AS reject_field,
  CASE
    WHEN nullif(trim(id), '') IS NULL OR nullif(trim(marketplace), '') IS NULL THEN 'missing'
    WHEN category_slug IS NULL THEN CASE WHEN nullif(trim(category), '') IS NULL THEN 'missing' ELSE 'unknown_category' END
    WHEN pr IS NULL THEN 'missing'
    WHEN NOT regexp_matches(pr, '[0-9]') THEN 'unparseable'
    WHEN negative THEN 'negative'
    WHEN currency IS NULL THEN 'unknown_currency'
    WHEN lo IS NULL THEN 'unparseable'
    WHEN ts IS NULL THEN CASE WHEN regexp_full_match(updated_at, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}') THEN 'ambiguous_date' ELSE 'bad_time' END
  END AS reject_code
FROM n;

-- The USD rate of each listing's (currency, UTC day): the ASOF join runs
-- over the few thousand distinct pairs, not over every row.
CREATE OR REPLACE TEMP TABLE day_rates AS
WITH pairs AS (
  SELECT DISTINCT currency, CAST(updated_at AS DATE) AS d FROM parsed WHERE reject_field IS NULL
)
SELECT pairs.currency, pairs.d, fx.units_per_usd
FROM pairs ASOF JOIN (SELECT * FROM fx UNION ALL SELECT DISTINCT d, 'USD', 1.0 FROM fx) AS fx
  ON fx.currency = pairs.currency AND pairs.d >= fx.d;

-- A listing with no rate on or before its day is rejected on its price,
-- as exportpipe does. Two plain scans: an OR with NOT EXISTS made DuckDB
-- probe the rates for every row, rejected or not.
CREATE OR REPLACE TABLE rejects AS
WITH r AS (
  SELECT reject_field AS field, reject_code AS code, p.* FROM parsed p WHERE reject_field IS NOT NULL
  UNION ALL
  SELECT 'price', 'no_fx_rate', p.* FROM parsed p
  ANTI JOIN day_rates r ON r.currency = p.currency AND r.d = CAST(p.updated_at AS DATE)
  WHERE p.reject_field IS NULL
)
SELECT 'listings' AS dataset, field, code, copies,
       to_json(struct_pack(id, marketplace, price, category, moq, updated_at := updated_at_raw))::VARCHAR AS raw
FROM r;

-- The latest version of each listing that has a rate. arg_max over the
-- row id, then fetching those rows, is a small hash aggregate; a
-- row_number() window sorts every partition, and arg_max over the whole
-- row drags every column through the aggregate (both several times slower).
CREATE OR REPLACE TEMP TABLE latest AS
SELECT arg_max(p.rowid, p.updated_at) AS rid
FROM parsed p JOIN day_rates r ON r.currency = p.currency AND r.d = CAST(p.updated_at AS DATE)
WHERE p.reject_field IS NULL
GROUP BY p.marketplace, p.id;

CREATE OR REPLACE TABLE listings AS
SELECT l.id AS listing_id, l.marketplace, l.seller_id, l.title, l.category_slug AS category,
       l.pr AS price_raw, l.currency, l.price_min, l.price_max, l.price_unit,
       r.units_per_usd AS fx_units_per_usd, l.price_min / r.units_per_usd AS price_min_usd, l.price_max / r.units_per_usd AS price_max_usd,
       l.moq_qty, l.moq_unit, l.updated_at
FROM parsed l
JOIN day_rates r ON r.currency = l.currency AND r.d = CAST(l.updated_at AS DATE)
WHERE l.rowid IN (SELECT rid FROM latest);

-- @end
SELECT (SELECT sum(copies) FROM raw_listings) AS extracted,
       (SELECT count(*) FROM listings) AS loaded,
       (SELECT sum(copies) FROM rejects) AS rejected,
       (SELECT sum(copies) FROM raw_listings) - (SELECT count(*) FROM listings) - (SELECT sum(copies) FROM rejects) AS duplicates;
