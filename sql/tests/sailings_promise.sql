-- Every sailing has its promised ETA (core.sailings.eta_first), taken from a
-- version no newer than the one stored. The marts measure on-time arrival
-- against it, so a sailing without one would silently drop out of the
-- schedule reliability figures; sql/merges/sailings_after.sql sets it
-- and this test proves it did.
SELECT sailing_id, eta_first, eta_first_version, updated_at
FROM core.sailings
WHERE eta_first IS NULL
   OR eta_first_version IS NULL
   OR eta_first_version > updated_at
