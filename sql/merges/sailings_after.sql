-- The promised ETA of each sailing (core.sailings.eta_first and
-- eta_first_version, migration 0010). Run inside the commit transaction
-- after the generated MERGE, so every staged sailing has its row in core,
-- and while stage_sailings still holds this run's staged rows.
--
-- The promise is the ETA of the oldest version loaded. The merge keeps only
-- the newest version of a key, so the oldest is read from staging, where
-- every version of tonight is: a source that sends a sailing's history in
-- one night (published, re-timed, arrived) gives the promise of its first
-- entry. Among staged rows of one version the later arrival (_seq) wins,
-- as a correction does everywhere else.
--
-- The stored promise moves only when:
--   - the row has none yet (a sailing new tonight);
--   - tonight's oldest version is older than the one the promise came from
--     (a backfill of history the warehouse never saw);
--   - it is the same version with a different ETA (a correction of that
--     version; the newer load wins).
-- A newer version never moves it, and running the same input again changes
-- nothing, bookkeeping included.
CREATE OR REPLACE TEMP TABLE merge_promises AS
SELECT sailing_id, eta, updated_at
FROM stage_sailings
QUALIFY row_number() OVER (PARTITION BY sailing_id ORDER BY updated_at ASC, _seq DESC) = 1;

-- A promise that moves changes the sailing's month in the route marts even
-- when its newest version was unchanged, so the key is noted as changed
-- (sql/warehouse/changes.go), with its row as it was: the generated merge
-- left such a row alone.
CREATE OR REPLACE TEMP TABLE merge_promise_moves AS
SELECT t.sailing_id
FROM core.sailings AS t
JOIN merge_promises AS f ON t.sailing_id = f.sailing_id
WHERE (t.eta_first_version IS NULL
       OR f.updated_at < t.eta_first_version
       OR (f.updated_at = t.eta_first_version AND f.eta IS DISTINCT FROM t.eta_first))
  AND NOT EXISTS (SELECT 1 FROM changed_sailings AS c WHERE c.sailing_id = t.sailing_id);
INSERT INTO before_sailings SELECT t.* FROM core.sailings AS t SEMI JOIN merge_promise_moves AS m ON m.sailing_id = t.sailing_id;
INSERT INTO changed_sailings SELECT sailing_id FROM merge_promise_moves;

UPDATE core.sailings AS t
SET eta_first = f.eta,
    eta_first_version = f.updated_at,
    _last_run = getvariable('exportpipe_run_id'),
    _loaded_at = now()
FROM merge_promises AS f
WHERE t.sailing_id = f.sailing_id
  AND (t.eta_first_version IS NULL
       OR f.updated_at < t.eta_first_version
       OR (f.updated_at = t.eta_first_version AND f.eta IS DISTINCT FROM t.eta_first));

DROP TABLE merge_promise_moves;
DROP TABLE merge_promises;
