-- The "just use DuckDB" baseline: the same normalisation exportpipe does
-- for listings, written as DuckDB SQL over the same NDJSON workload files
-- and loaded into the same shape of table. @WORKLOAD@ is replaced by the
-- workload folder before the script runs.
SET TimeZone = 'UTC';

CREATE OR REPLACE TABLE fx AS
SELECT CAST(date AS DATE) AS d, currency, units_per_usd
FROM read_json('@WORKLOAD@/fx_rates.ndjson', format = 'newline_delimited',
               columns = {date: 'VARCHAR', currency: 'VARCHAR', units_per_usd: 'DOUBLE'});

CREATE OR REPLACE TABLE sellers AS
SELECT seller_id, marketplace, country
FROM read_json('@WORKLOAD@/sellers.ndjson', format = 'newline_delimited',
               columns = {seller_id: 'VARCHAR', marketplace: 'VARCHAR', country: 'VARCHAR'});

CREATE OR REPLACE TABLE category_map AS
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

-- The listings reader below is listings_ndjson.sql or listings_csv.sql: the same rows,
-- every column as text (a CSV's empty cell is NULL, as JSON's null is).
CREATE OR REPLACE TABLE raw_listings AS
SELECT *, row_number() OVER () AS seq
FROM @LISTINGS@;

-- @normalise: from here to @end is the normalisation alone, which
-- BenchmarkNormaliseSQL (sql/warehouse) times against the Arrow transforms.
CREATE OR REPLACE TABLE parsed AS
WITH p AS (
  SELECT *, trim(replace(replace(coalesce(price, ''), chr(160), ' '), chr(8239), ' ')) AS pr FROM raw_listings
), cur AS (
  SELECT *,
    CASE
      WHEN regexp_matches(pr, '^(US\s*\$|USD|\$)') THEN 'USD'
      WHEN regexp_matches(pr, '^(¥|CNY|RMB)') THEN 'CNY'
      WHEN regexp_matches(pr, '^(€|EUR)') THEN 'EUR'
      WHEN regexp_matches(pr, '^AED') THEN 'AED'
      WHEN regexp_matches(pr, '^(Rs\.?|PKR)') THEN 'PKR'
      WHEN regexp_matches(pr, '^(৳|Tk|BDT)') THEN 'BDT'
      WHEN regexp_full_match(pr, '[0-9][0-9,]*(\.[0-9]+)?') THEN
        CASE marketplace WHEN 'daraz.pk' THEN 'PKR' WHEN 'daraz.com.bd' THEN 'BDT' WHEN 'alibaba.com' THEN 'USD' END
    END AS currency,
    regexp_extract_all(pr, '-?[0-9][0-9,]*(?:\.[0-9]+)?') AS nums,
    lower(regexp_extract(pr, '/\s*([A-Za-z]+)', 1)) AS unit_word,
    regexp_extract(coalesce(moq, ''), '^\s*([0-9]+(?:\.[0-9]+)?)\s+([A-Za-z]+)', ['qty', 'unit']) AS m,
    (SELECT slug FROM category_map WHERE variant = lower(trim(category))) AS category_slug,
    CASE
      WHEN regexp_full_match(updated_at, '[0-9]+') THEN to_timestamp(updated_at::BIGINT)
      ELSE coalesce(CASE WHEN contains(updated_at, 'T') THEN try_cast(updated_at AS TIMESTAMPTZ) END,
                    try_strptime(updated_at, '%a, %d %b %Y %H:%M:%S %z'), try_strptime(updated_at, '%Y-%m-%d %H:%M:%S %z'))
    END AS ts
  FROM p
)
SELECT *,
  try_cast(replace(nums[1], ',', '') AS DOUBLE) AS price_min,
  try_cast(replace(nums[-1], ',', '') AS DOUBLE) AS price_max,
  CASE
    WHEN id IS NULL THEN 'listing_id: missing'
    WHEN currency IS NULL THEN 'price: unknown currency or unparseable'
    WHEN len(nums) = 0 OR try_cast(replace(nums[1], ',', '') AS DOUBLE) < 0 THEN 'price: no amount or negative'
    WHEN category_slug IS NULL THEN 'category: unknown'
    WHEN ts IS NULL THEN 'updated_at: unparseable'
  END AS reject_reason
FROM cur;

CREATE OR REPLACE TABLE rejects AS
SELECT 'listings' AS dataset, reject_reason AS reason, to_json(struct_pack(id, marketplace, price, category, updated_at))::VARCHAR AS raw
FROM parsed WHERE reject_reason IS NOT NULL;

CREATE OR REPLACE TABLE listings AS
SELECT l.id AS listing_id, l.marketplace, l.seller_id, l.title, l.category_slug AS category,
       l.pr AS price_raw, l.currency, l.price_min, l.price_max,
       CASE l.unit_word WHEN 'piece' THEN 'piece' WHEN 'pieces' THEN 'piece' WHEN 'set' THEN 'set' WHEN 'sets' THEN 'set'
                        WHEN 'meter' THEN 'm' WHEN 'meters' THEN 'm' END AS price_unit,
       fx.units_per_usd AS fx_units_per_usd,
       l.price_min / fx.units_per_usd AS price_min_usd, l.price_max / fx.units_per_usd AS price_max_usd,
       CASE WHEN lower(l.m.unit) IN ('ton', 'tons') THEN try_cast(l.m.qty AS DOUBLE) * 1000
            WHEN lower(l.m.unit) IN ('dozen', 'dozens') THEN try_cast(l.m.qty AS DOUBLE) * 12
            ELSE try_cast(l.m.qty AS DOUBLE) END AS moq_qty,
       CASE lower(l.m.unit) WHEN 'pieces' THEN 'piece' WHEN 'piece' THEN 'piece' WHEN 'sets' THEN 'set'
            WHEN 'pairs' THEN 'pair' WHEN 'ton' THEN 'kg' WHEN 'tons' THEN 'kg' WHEN 'kilograms' THEN 'kg'
            WHEN 'meters' THEN 'm' WHEN 'dozens' THEN 'piece' WHEN 'dozen' THEN 'piece' END AS moq_unit,
       l.ts AS updated_at
FROM (SELECT * FROM parsed WHERE reject_reason IS NULL
      QUALIFY row_number() OVER (PARTITION BY marketplace, id ORDER BY ts DESC, seq DESC) = 1) AS l
ASOF JOIN (SELECT * FROM fx UNION ALL SELECT DISTINCT d, 'USD', 1.0 FROM fx) AS fx
  ON fx.currency = l.currency AND CAST(l.ts AS DATE) >= fx.d;

-- @end
SELECT (SELECT count(*) FROM parsed) AS extracted, (SELECT count(*) FROM listings) AS loaded,
       (SELECT count(*) FROM rejects) AS rejected;
