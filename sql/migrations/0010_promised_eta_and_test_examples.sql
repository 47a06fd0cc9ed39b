-- 0010_promised_eta_and_test_examples: schedule reliability measured
-- against the promise, and data tests that show what they found.
--
-- core.sailings keeps one row per sailing, the newest version, and carriers
-- re-time a voyage's ETA as it goes on: a ship due on the 1st, re-timed to
-- the 5th and arriving on the 5th looked punctual against eta. The
-- schedule-reliability benchmarks (Sea-Intelligence's Global Liner
-- Performance, eeSea) measure against the schedule first published, so the
-- warehouse now keeps that ETA itself:
--   eta_first          the ETA of the oldest version of the sailing loaded
--   eta_first_version  that version's updated_at
-- They are warehouse columns (sql/warehouse/schema.go warehouseColumns): no
-- source sends them and the generated merge never overwrites them. The step
-- sql/merges/sailings_after.sql sets them after each merge: on a new
-- sailing from the oldest version staged, and on a known one only when a
-- version older than eta_first_version arrives (a backfill), or the same
-- version with a different ETA (a correction). A newer version never moves
-- them. Rows loaded before this migration only have their current version,
-- so it is their promise until an older one is loaded.
--
-- ADD COLUMN cannot carry NOT NULL in DuckDB; the error-level data test
-- sailings_promise proves every sailing has both.

ALTER TABLE core.sailings ADD COLUMN eta_first TIMESTAMPTZ;
ALTER TABLE core.sailings ADD COLUMN eta_first_version TIMESTAMPTZ;
UPDATE core.sailings SET eta_first = eta, eta_first_version = updated_at;
COMMENT ON COLUMN core.sailings.eta_first IS 'Promised arrival (UTC): the ETA of the oldest version of this sailing the warehouse has loaded (eta_first_version). A newer version never changes it; an older version loaded later (a backfill) replaces it. Schedule reliability in the marts is measured against it.';
COMMENT ON COLUMN core.sailings.eta_first_version IS 'updated_at of the version eta_first comes from; not after updated_at. For rows loaded before migration 0010, the version then stored.';
COMMENT ON COLUMN core.sailings.eta IS 'Latest estimated time of arrival (UTC): the ETA of the newest version, which carriers re-time as the voyage goes on. The promised ETA is eta_first.';
COMMENT ON COLUMN core.sailings.delay_days IS '(ata - eta) in seconds / 86400.0 against the latest ETA; negative when early, NULL until arrival. Delay against the promise is core.sailing_punctuality.delay_days_promised.';

-- One definition of punctuality for every mart that counts on-time
-- arrivals, and for analysts asking which sailings were late.
--
-- On time means the actual arrival falls on the UTC calendar day of the
-- promised ETA, the day before or the day after: with D(t) the date of t in
-- UTC, |D(ata) - D(eta_first)| <= 1. Carriers publish schedules by the day,
-- so whole days are compared: a ship due 23:00 on the 10th is on time
-- arriving any time up to 23:59:59 on the 11th and late from 00:00 on the
-- 12th. timezone('UTC', ...) fixes the day boundaries in the view
-- itself: a client reading the snapshot with another TimeZone setting gets
-- the same answer.
CREATE VIEW core.sailing_punctuality AS
WITH days AS (
    SELECT s.*,
           CAST(timezone('UTC', ata) AS DATE) - CAST(timezone('UTC', eta_first) AS DATE) AS promised_offset,
           CAST(timezone('UTC', ata) AS DATE) - CAST(timezone('UTC', eta) AS DATE) AS latest_offset
    FROM core.sailings AS s
)
SELECT sailing_id,
       carrier,
       origin,
       destination,
       etd,
       eta_first,
       eta,
       ata,
       transit_days,
       promised_offset AS arrival_day_offset,
       CASE WHEN ata IS NULL THEN NULL
            WHEN promised_offset < -1 THEN 'early'
            WHEN promised_offset > 1 THEN 'late'
            ELSE 'on_time' END AS punctuality,
       (epoch_us(ata) - epoch_us(eta_first)) / 86400e6 AS delay_days_promised,
       abs(latest_offset) <= 1 AS on_time_latest_eta
FROM days;
COMMENT ON VIEW core.sailing_punctuality IS 'Each sailing judged against its promised ETA (core.sailings.eta_first), the definition every route mart counts with. On time: the actual arrival''s UTC date is the promised ETA''s UTC date, the day before or the day after.';
COMMENT ON COLUMN core.sailing_punctuality.sailing_id IS 'Sailing identifier (core.sailings).';
COMMENT ON COLUMN core.sailing_punctuality.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN core.sailing_punctuality.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN core.sailing_punctuality.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN core.sailing_punctuality.etd IS 'Estimated time of departure (UTC), latest version.';
COMMENT ON COLUMN core.sailing_punctuality.eta_first IS 'Promised arrival (UTC): the ETA of the oldest version loaded.';
COMMENT ON COLUMN core.sailing_punctuality.eta IS 'Latest ETA (UTC), after any re-timing.';
COMMENT ON COLUMN core.sailing_punctuality.ata IS 'Actual time of arrival (UTC); NULL until arrival.';
COMMENT ON COLUMN core.sailing_punctuality.transit_days IS '(ata - etd) in seconds / 86400.0; NULL until arrival.';
COMMENT ON COLUMN core.sailing_punctuality.arrival_day_offset IS 'UTC date of ata minus UTC date of eta_first, in calendar days: 0 on the promised day, 2 two days late, -2 two days early; NULL until arrival.';
COMMENT ON COLUMN core.sailing_punctuality.punctuality IS 'on_time (arrival_day_offset -1, 0 or 1), late (above 1), early (below -1); NULL until arrival.';
COMMENT ON COLUMN core.sailing_punctuality.delay_days_promised IS '(ata - eta_first) in seconds / 86400.0: the delay against the promise, negative when early; NULL until arrival.';
COMMENT ON COLUMN core.sailing_punctuality.on_time_latest_eta IS 'The same on-time rule against the latest ETA instead of the promise: what re-timing makes the schedule look like; NULL until arrival.';

-- A failing data test records a few of the rows it found, so a warning in
-- the morning names what to look at (for the price check: the source and
-- example listings) without anyone re-running the query.
ALTER TABLE meta.data_tests ADD COLUMN examples VARCHAR;
COMMENT ON COLUMN meta.data_tests.examples IS 'Up to 5 of the rows that violated the test, one per line as column=value pairs separated by commas, in the order the test returns them; NULL when it passed, and for results recorded before migration 0010.';
