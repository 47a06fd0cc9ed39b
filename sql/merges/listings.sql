-- Listings, before the merge into core.listings: withdrawals and price
-- history. Runs in the commit transaction while merge_changes holds this
-- run's latest usable version of each staged listing (_action insert,
-- update, same or stale; _staged its number of staged rows) and core is as
-- it was before the run. getvariable('exportpipe_run_id') is the run.

-- Newest word on a key that could not be used. A reject whose version is
-- newer than every usable version of its key (in core or staged) withdraws
-- the key: core keeps its last good state, marked withdrawn, and its price
-- stops being current. A future_timestamp reject says nothing about the
-- listing's state, only about a clock, so it withdraws nothing.
CREATE OR REPLACE TEMP TABLE merge_withdrawn AS
WITH rejected AS (
    SELECT split_part(record_key, '/', 1) AS marketplace,
           substr(record_key, strpos(record_key, '/') + 1) AS listing_id,
           max(version) AS withdrawn_at,
           arg_max(reason, version) AS withdrawn_reason
    FROM stage_rejects
    WHERE dataset = 'listings' AND record_key IS NOT NULL AND version IS NOT NULL
      AND strpos(record_key, '/') > 0
      AND NOT starts_with(reason, '[future_timestamp]')
    GROUP BY ALL
)
SELECT r.*
FROM rejected AS r
LEFT JOIN merge_changes AS c ON c.marketplace = r.marketplace AND c.listing_id = r.listing_id
LEFT JOIN core.listings AS l ON l.marketplace = r.marketplace AND l.listing_id = r.listing_id
WHERE (c.listing_id IS NOT NULL OR l.listing_id IS NOT NULL)
  AND r.withdrawn_at > coalesce(greatest(c.updated_at, l.updated_at), c.updated_at, l.updated_at)
  -- the same withdrawal seen again (a rerun) is not news
  AND (l.withdrawn_at IS NULL OR r.withdrawn_at > l.withdrawn_at);

INSERT INTO merge_counts SELECT 'withdrawn', count(*) FROM merge_withdrawn;

-- Price history (SCD type 2): one row per change of currency, price_min or
-- price_max, valid from the version that set it to the version that changed
-- it. Most keys of a run are new with one staged version: they open one
-- price each, cheaply.
INSERT INTO core.listing_price_history
SELECT c.marketplace, c.listing_id, c.currency, c.price_min, c.price_max,
       c.price_min_usd, c.price_max_usd, c.updated_at, NULL,
       getvariable('exportpipe_run_id')
FROM merge_changes AS c
WHERE c._action = 'insert' AND c._staged = 1
  AND NOT EXISTS (SELECT 1 FROM merge_withdrawn AS w
                  WHERE w.marketplace = c.marketplace AND w.listing_id = c.listing_id);

-- Every other key that changed is recomputed from its stored history and
-- this run's versions, so that
--   a correction (new content, same updated_at) replaces the stored price
--     of that updated_at rather than adding a second row for it;
--   a version older than the stored one (a backfill) takes its place in the
--     past, and the periods around it are re-cut;
--   a withdrawal closes the current price at the rejected version's time
--     (a gap: no usable price from then on), which later versions keep.
CREATE OR REPLACE TEMP TABLE merge_history_keys AS
SELECT marketplace, listing_id FROM merge_changes
WHERE _action IN ('update', 'stale') OR (_action = 'insert' AND _staged > 1)
UNION
SELECT marketplace, listing_id FROM merge_withdrawn;

CREATE OR REPLACE TEMP TABLE merge_history AS
WITH stored AS (
    SELECT h.* FROM core.listing_price_history AS h
    SEMI JOIN merge_history_keys AS k ON k.marketplace = h.marketplace AND k.listing_id = h.listing_id
),
points AS (
    -- stored prices
    SELECT marketplace, listing_id, valid_from AS t, currency, price_min, price_max,
           price_min_usd, price_max_usd, run_id, 0 AS pass
    FROM stored
    UNION ALL
    -- stored gaps: a price that ends where no other starts
    SELECT s.marketplace, s.listing_id, s.valid_to, NULL, NULL, NULL, NULL, NULL, s.run_id, 0
    FROM stored AS s
    WHERE s.valid_to IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM stored AS n
                      WHERE n.marketplace = s.marketplace AND n.listing_id = s.listing_id AND n.valid_from = s.valid_to)
    UNION ALL
    -- this run's usable versions: the last to arrive of each updated_at
    SELECT * FROM (
        SELECT s.marketplace, s.listing_id, s.updated_at, s.currency, s.price_min, s.price_max,
               s.price_min_usd, s.price_max_usd, getvariable('exportpipe_run_id'), 1
        FROM stage_listings AS s
        SEMI JOIN merge_history_keys AS k ON k.marketplace = s.marketplace AND k.listing_id = s.listing_id
        QUALIFY row_number() OVER (PARTITION BY s.marketplace, s.listing_id, s.updated_at ORDER BY s._seq DESC) = 1
    )
    UNION ALL
    -- this run's withdrawals
    SELECT marketplace, listing_id, withdrawn_at, NULL, NULL, NULL, NULL, NULL, getvariable('exportpipe_run_id'), 1
    FROM merge_withdrawn
),
-- One point per key and time: this run's (a correction) over the stored.
one AS (
    SELECT * FROM points
    QUALIFY row_number() OVER (PARTITION BY marketplace, listing_id, t ORDER BY pass DESC) = 1
),
lagged AS (
    SELECT *, lag(t) OVER w AS prev_t, lag(currency) OVER w AS prev_currency,
           lag(price_min) OVER w AS prev_min, lag(price_max) OVER w AS prev_max
    FROM one
    WINDOW w AS (PARTITION BY marketplace, listing_id ORDER BY t)
),
-- A point starts a period only where the price changes.
changes AS (
    SELECT * FROM lagged
    WHERE prev_t IS NULL
       OR currency IS DISTINCT FROM prev_currency
       OR price_min IS DISTINCT FROM prev_min
       OR price_max IS DISTINCT FROM prev_max
),
periods AS (
    SELECT *, lead(t) OVER (PARTITION BY marketplace, listing_id ORDER BY t) AS next_t
    FROM changes
)
SELECT marketplace, listing_id, currency, price_min, price_max, price_min_usd, price_max_usd,
       t AS valid_from, next_t AS valid_to, run_id
FROM periods
WHERE currency IS NOT NULL;

DELETE FROM core.listing_price_history AS h
USING merge_history_keys AS k
WHERE h.marketplace = k.marketplace AND h.listing_id = k.listing_id;

INSERT INTO core.listing_price_history SELECT * FROM merge_history;

DROP TABLE merge_history;
DROP TABLE merge_history_keys;
