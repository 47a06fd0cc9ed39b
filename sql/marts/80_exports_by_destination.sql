-- grain: destination_country, month
-- not null: destination_country, month, sailings
-- reads: sailings, freight_rates
-- maintained: incremental
--
-- Where exports go: sailings from Pakistani ports (origin PK...) per
-- destination country and month of departure, with the 40-foot freight rate
-- quoted to that country. The country is the first two letters of the
-- destination UN/LOCODE, which are its ISO 3166 alpha-2 code by definition.
-- A country-month with rates but no sailings (or the reverse) still appears.
CREATE OR REPLACE TABLE marts.exports_by_destination AS
WITH sailings AS (
    SELECT left(destination, 2) AS destination_country,
           CAST(date_trunc('month', timezone('UTC', etd)) AS DATE) AS month,
           count(*) AS sailings,
           count(DISTINCT carrier) AS carriers,
           count(DISTINCT destination) AS destination_ports,
           count(ata) AS arrived,
           -- On time as the route marts count it (core.sailing_punctuality).
           count(*) FILTER (WHERE punctuality = 'on_time') AS on_time,
           median(transit_days) FILTER (WHERE ata IS NOT NULL) AS median_transit_days
    FROM core.sailing_punctuality
    WHERE origin LIKE 'PK%'
    GROUP BY ALL
),
rates AS (
    SELECT left(destination, 2) AS destination_country,
           CAST(date_trunc('month', valid_from) AS DATE) AS month,
           median(amount_usd) AS median_rate_usd_40ft
    FROM core.freight_rates
    WHERE origin LIKE 'PK%' AND equipment IN ('40GP', '40HC')
    GROUP BY ALL
)
SELECT coalesce(s.destination_country, r.destination_country) AS destination_country,
       coalesce(s.month, r.month) AS month,
       coalesce(s.sailings, 0) AS sailings,
       coalesce(s.carriers, 0) AS carriers,
       coalesce(s.destination_ports, 0) AS destination_ports,
       coalesce(s.arrived, 0) AS arrived,
       s.on_time / nullif(s.arrived, 0) AS on_time_share,
       s.median_transit_days,
       r.median_rate_usd_40ft
FROM sailings AS s
FULL OUTER JOIN rates AS r
       ON r.destination_country = s.destination_country AND r.month = s.month
ORDER BY destination_country, month;

COMMENT ON TABLE marts.exports_by_destination IS 'Sailings from Pakistani ports and 40-foot freight rates per destination country and month. Key: destination_country, month.';
COMMENT ON COLUMN marts.exports_by_destination.destination_country IS 'ISO 3166 alpha-2 country of the destination port (first two letters of its UN/LOCODE).';
COMMENT ON COLUMN marts.exports_by_destination.month IS 'First day of the UTC month of departure (etd) or of rate validity.';
COMMENT ON COLUMN marts.exports_by_destination.sailings IS 'Sailings from a PK port departing in the month.';
COMMENT ON COLUMN marts.exports_by_destination.carriers IS 'Distinct carriers sailing.';
COMMENT ON COLUMN marts.exports_by_destination.destination_ports IS 'Distinct destination ports in the country served.';
COMMENT ON COLUMN marts.exports_by_destination.arrived IS 'Of those sailings, the ones that have arrived.';
COMMENT ON COLUMN marts.exports_by_destination.on_time_share IS 'Share of arrived sailings on time against the promised ETA (UTC arrival date within one calendar day of eta_first''s, as in route_performance); NULL when none arrived.';
COMMENT ON COLUMN marts.exports_by_destination.median_transit_days IS 'Median transit days of arrived sailings.';
COMMENT ON COLUMN marts.exports_by_destination.median_rate_usd_40ft IS 'Median 40GP/40HC rate in USD from a PK port, valid from the month; NULL when none quoted.';
