-- Schedule reliability and transit time per carrier and route. On time means
-- arrived within one day of schedule: |ata - eta| <= 86400 s, compared in
-- whole microseconds (86400000000 µs = one day) so the boundary is exact.
-- Transit days come from core.sailings.transit_days, the contract's
-- (ata - etd) / 86400.0, so the mart and core cannot disagree.
-- count_if and sum return HUGEINT, which Parquet and most clients lack; every
-- mart casts its counts to BIGINT.
CREATE OR REPLACE TABLE marts.route_performance AS
SELECT carrier,
       origin,
       destination,
       count(*) AS sailings,
       count(ata) AS arrived,
       CAST(count_if(ata IS NOT NULL
                     AND abs(epoch_us(ata) - epoch_us(eta)) <= 86400000000) AS BIGINT) AS on_time,
       on_time / nullif(arrived, 0) AS on_time_share,
       median(transit_days) FILTER (WHERE ata IS NOT NULL) AS median_transit_days,
       quantile_cont(transit_days, 0.9) FILTER (WHERE ata IS NOT NULL) AS p90_transit_days
FROM core.sailings
GROUP BY carrier, origin, destination
ORDER BY carrier, origin, destination;

COMMENT ON TABLE marts.route_performance IS 'Sailings, on-time arrivals and transit days per carrier and route, over all time. Key: carrier, origin, destination.';
COMMENT ON COLUMN marts.route_performance.carrier IS 'Canonical carrier name.';
COMMENT ON COLUMN marts.route_performance.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN marts.route_performance.sailings IS 'Sailings on the route, arrived or not.';
COMMENT ON COLUMN marts.route_performance.arrived IS 'Sailings with an actual arrival time.';
COMMENT ON COLUMN marts.route_performance.on_time IS 'Arrived sailings with |ata - eta| <= 1 day.';
COMMENT ON COLUMN marts.route_performance.on_time_share IS 'on_time / arrived, 0..1; NULL when nothing arrived.';
COMMENT ON COLUMN marts.route_performance.median_transit_days IS 'Median transit days of arrived sailings (mean of the two middle values for an even count).';
COMMENT ON COLUMN marts.route_performance.p90_transit_days IS '90th percentile of transit days of arrived sailings, interpolated (quantile_cont).';
