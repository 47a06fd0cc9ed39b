-- Schedule reliability and transit time per carrier, route and month, the
-- monthly series behind marts.route_performance. A sailing belongs to the
-- UTC month of its scheduled arrival (eta), as schedule-reliability
-- benchmarks report it, so a month's figures settle once its vessels are in.
-- On time and transit days are defined exactly as in route_performance.
CREATE OR REPLACE TABLE marts.route_performance_monthly AS
SELECT carrier,
       origin,
       destination,
       CAST(date_trunc('month', timezone('UTC', eta)) AS DATE) AS month,
       count(*) AS sailings,
       count(ata) AS arrived,
       CAST(count_if(ata IS NOT NULL
                     AND abs(epoch_us(ata) - epoch_us(eta)) <= 86400000000) AS BIGINT) AS on_time,
       on_time / nullif(arrived, 0) AS on_time_share,
       median(transit_days) FILTER (WHERE ata IS NOT NULL) AS median_transit_days,
       quantile_cont(transit_days, 0.9) FILTER (WHERE ata IS NOT NULL) AS p90_transit_days,
       median(delay_days) FILTER (WHERE ata IS NOT NULL) AS median_delay_days
FROM core.sailings
GROUP BY carrier, origin, destination, month
ORDER BY carrier, origin, destination, month;

COMMENT ON TABLE marts.route_performance_monthly IS 'Sailings, on-time arrivals (±1 day of ETA) and transit days per carrier, route and month of scheduled arrival. Key: carrier, origin, destination, month.';
COMMENT ON COLUMN marts.route_performance_monthly.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN marts.route_performance_monthly.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance_monthly.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance_monthly.month IS 'First day of the UTC month of the scheduled arrival (eta).';
COMMENT ON COLUMN marts.route_performance_monthly.sailings IS 'Sailings scheduled to arrive in the month, arrived or not.';
COMMENT ON COLUMN marts.route_performance_monthly.arrived IS 'Sailings with an actual arrival time.';
COMMENT ON COLUMN marts.route_performance_monthly.on_time IS 'Arrived sailings with |ata - eta| <= 1 day.';
COMMENT ON COLUMN marts.route_performance_monthly.on_time_share IS 'on_time / arrived, 0..1 (schedule reliability); NULL when nothing arrived.';
COMMENT ON COLUMN marts.route_performance_monthly.median_transit_days IS 'Median transit days (ata - etd) of arrived sailings.';
COMMENT ON COLUMN marts.route_performance_monthly.p90_transit_days IS '90th percentile of transit days of arrived sailings, interpolated (quantile_cont).';
COMMENT ON COLUMN marts.route_performance_monthly.median_delay_days IS 'Median of ata - eta in days of arrived sailings; negative when early.';
