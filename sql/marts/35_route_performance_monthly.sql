-- grain: carrier, origin, destination, month
-- not null: carrier, origin, destination, month, sailings
-- reads: sailings
-- maintained: incremental
--
-- Schedule reliability and transit time per carrier, route and month, the
-- monthly series behind marts.route_performance. A sailing belongs to the
-- UTC month of its promised arrival (core.sailings.eta_first), as
-- schedule-reliability benchmarks report it, so a carrier's re-timing
-- cannot move a sailing into a later month either. On time, late, the late
-- delay and transit days are defined exactly as in route_performance (the
-- view core.sailing_punctuality). A backfill that finds an older version
-- of a sailing can move its promise, and with it its month.
CREATE OR REPLACE TABLE marts.route_performance_monthly AS
SELECT carrier,
       origin,
       destination,
       CAST(date_trunc('month', timezone('UTC', eta_first)) AS DATE) AS month,
       count(*) AS sailings,
       count(ata) AS arrived,
       count(*) FILTER (WHERE punctuality = 'on_time') AS on_time,
       on_time / nullif(arrived, 0) AS on_time_share,
       median(transit_days) FILTER (WHERE ata IS NOT NULL) AS median_transit_days,
       quantile_cont(transit_days, 0.9) FILTER (WHERE ata IS NOT NULL) AS p90_transit_days,
       median(delay_days_promised) FILTER (WHERE ata IS NOT NULL) AS median_delay_days,
       count(*) FILTER (WHERE punctuality = 'late') AS late,
       avg(delay_days_promised) FILTER (WHERE punctuality = 'late') AS avg_late_delay_days,
       count(*) FILTER (WHERE on_time_latest_eta) AS on_time_latest_eta
FROM core.sailing_punctuality
GROUP BY carrier, origin, destination, month
ORDER BY carrier, origin, destination, month;

COMMENT ON TABLE marts.route_performance_monthly IS 'Sailings, on-time arrivals against the promised schedule, late arrivals and their delay, and transit days per carrier, route and month of promised arrival. Key: carrier, origin, destination, month.';
COMMENT ON COLUMN marts.route_performance_monthly.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN marts.route_performance_monthly.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance_monthly.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance_monthly.month IS 'First day of the UTC month of the promised arrival (core.sailings.eta_first).';
COMMENT ON COLUMN marts.route_performance_monthly.sailings IS 'Sailings promised to arrive in the month, arrived or not.';
COMMENT ON COLUMN marts.route_performance_monthly.arrived IS 'Sailings with an actual arrival time.';
COMMENT ON COLUMN marts.route_performance_monthly.on_time IS 'Arrived sailings whose arrival''s UTC date is within one calendar day (before or after) of the promised ETA''s UTC date.';
COMMENT ON COLUMN marts.route_performance_monthly.on_time_share IS 'on_time / arrived, 0..1 (schedule reliability against the promise); NULL when nothing arrived.';
COMMENT ON COLUMN marts.route_performance_monthly.median_transit_days IS 'Median transit days (ata - etd) of arrived sailings.';
COMMENT ON COLUMN marts.route_performance_monthly.p90_transit_days IS '90th percentile of transit days of arrived sailings, interpolated (quantile_cont).';
COMMENT ON COLUMN marts.route_performance_monthly.median_delay_days IS 'Median of (ata - eta_first) in days of arrived sailings, against the promise; negative when early.';
COMMENT ON COLUMN marts.route_performance_monthly.late IS 'Arrived sailings whose arrival''s UTC date is more than one calendar day after the promised ETA''s.';
COMMENT ON COLUMN marts.route_performance_monthly.avg_late_delay_days IS 'Mean of (ata - eta_first) in days over the late sailings; NULL when none was late.';
COMMENT ON COLUMN marts.route_performance_monthly.on_time_latest_eta IS 'Arrived sailings on time by the same rule against the latest ETA instead of the promise.';
