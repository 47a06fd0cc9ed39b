-- grain: origin, destination, equipment, month
-- not null: origin, destination, equipment, month, median_usd
-- reads: freight_rates
-- maintained: incremental
--
-- How expensive shipping is: container freight rates per route, equipment
-- and month, in USD. A rate belongs to the month of its valid_from; carriers
-- are pooled so a route's figures are what a shipper could be quoted.
CREATE OR REPLACE TABLE marts.freight_cost_monthly AS
SELECT origin,
       destination,
       equipment,
       CAST(date_trunc('month', valid_from) AS DATE) AS month,
       count(*) AS rates,
       count(DISTINCT carrier) AS carriers,
       min(amount_usd) AS min_usd,
       median(amount_usd) AS median_usd,
       max(amount_usd) AS max_usd
FROM core.freight_rates
GROUP BY origin, destination, equipment, month
ORDER BY origin, destination, equipment, month;

COMMENT ON TABLE marts.freight_cost_monthly IS 'Freight rates in USD per route, container type and month of validity. Key: origin, destination, equipment, month.';
COMMENT ON COLUMN marts.freight_cost_monthly.origin IS 'Port of loading, UN/LOCODE.';
COMMENT ON COLUMN marts.freight_cost_monthly.destination IS 'Port of discharge, UN/LOCODE.';
COMMENT ON COLUMN marts.freight_cost_monthly.equipment IS 'Container type: 20GP, 40GP or 40HC.';
COMMENT ON COLUMN marts.freight_cost_monthly.month IS 'First day of the month the rates became valid (valid_from).';
COMMENT ON COLUMN marts.freight_cost_monthly.rates IS 'Rates quoted.';
COMMENT ON COLUMN marts.freight_cost_monthly.carriers IS 'Distinct carriers quoting.';
COMMENT ON COLUMN marts.freight_cost_monthly.min_usd IS 'Lowest rate per container in USD.';
COMMENT ON COLUMN marts.freight_cost_monthly.median_usd IS 'Median rate per container in USD (mean of the two middle values for an even count).';
COMMENT ON COLUMN marts.freight_cost_monthly.max_usd IS 'Highest rate per container in USD.';
