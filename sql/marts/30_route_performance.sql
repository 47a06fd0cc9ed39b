-- grain: carrier, origin, destination
-- not null: carrier, origin, destination, sailings
-- reads: sailings
-- maintained: incremental
--
-- Schedule reliability and transit time per carrier and route, over all
-- time. Punctuality comes from the view core.sailing_punctuality, the one
-- definition every route mart counts with: a sailing is on time when its
-- actual arrival falls on the UTC calendar day of its promised ETA
-- (core.sailings.eta_first, the ETA first published), the day before or
-- the day after; late when after that, early when before. Carriers re-time
-- ETAs during a voyage, and measuring against the latest ETA would count a
-- ship that arrives days after its promise as punctual; on_time_latest_eta
-- keeps that figure so the difference shows.
--
-- Transit days come from core.sailings.transit_days, the contract's
-- (ata - etd) / 86400.0, so the mart and core cannot disagree. New columns
-- are appended, so readers that take columns by position keep working.
-- Counts are count(*) FILTER, a BIGINT that is 0 on a route where nothing
-- has arrived: count_if returns HUGEINT, which Parquet and most clients
-- lack, and NULL when every input is NULL (punctuality is, until arrival).
CREATE OR REPLACE TABLE marts.route_performance AS
SELECT carrier,
       origin,
       destination,
       count(*) AS sailings,
       count(ata) AS arrived,
       count(*) FILTER (WHERE punctuality = 'on_time') AS on_time,
       on_time / nullif(arrived, 0) AS on_time_share,
       median(transit_days) FILTER (WHERE ata IS NOT NULL) AS median_transit_days,
       quantile_cont(transit_days, 0.9) FILTER (WHERE ata IS NOT NULL) AS p90_transit_days,
       count(*) FILTER (WHERE punctuality = 'late') AS late,
       avg(delay_days_promised) FILTER (WHERE punctuality = 'late') AS avg_late_delay_days,
       count(*) FILTER (WHERE on_time_latest_eta) AS on_time_latest_eta
FROM core.sailing_punctuality
GROUP BY carrier, origin, destination
ORDER BY carrier, origin, destination;

COMMENT ON TABLE marts.route_performance IS 'Sailings, on-time arrivals against the promised schedule, late arrivals and their delay, and transit days per carrier and route, over all time. Key: carrier, origin, destination.';
COMMENT ON COLUMN marts.route_performance.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN marts.route_performance.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance.sailings IS 'Sailings on the route, arrived or not.';
COMMENT ON COLUMN marts.route_performance.arrived IS 'Sailings with an actual arrival time.';
COMMENT ON COLUMN marts.route_performance.on_time IS 'Arrived sailings whose arrival''s UTC date is within one calendar day (before or after) of the promised ETA''s UTC date (core.sailings.eta_first), however the ETA was re-timed since.';
COMMENT ON COLUMN marts.route_performance.on_time_share IS 'on_time / arrived, 0..1 (schedule reliability against the promise); NULL when nothing arrived.';
COMMENT ON COLUMN marts.route_performance.median_transit_days IS 'Median transit days of arrived sailings (mean of the two middle values for an even count).';
COMMENT ON COLUMN marts.route_performance.p90_transit_days IS '90th percentile of transit days of arrived sailings, interpolated (quantile_cont).';
COMMENT ON COLUMN marts.route_performance.late IS 'Arrived sailings whose arrival''s UTC date is more than one calendar day after the promised ETA''s. arrived - on_time - late arrived more than a day early.';
COMMENT ON COLUMN marts.route_performance.avg_late_delay_days IS 'Mean of (ata - eta_first) in days over the late sailings: how late the late ones were against the promise. NULL when none was late.';
COMMENT ON COLUMN marts.route_performance.on_time_latest_eta IS 'Arrived sailings on time by the same rule against the latest ETA instead of the promise: what the schedule looks like after re-timing. on_time_latest_eta - on_time is how much re-timing flatters the route.';
