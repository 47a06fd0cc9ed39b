-- The country-months of marts.exports_by_destination that tonight's
-- changes touch: each changed sailing's destination country and month of
-- departure, and each changed rate's country and month of validity,
-- before the run and after. Sailings and rates from outside Pakistan are
-- included: recomputing a group they do not count in changes nothing.
WITH sailing_states AS (
    SELECT destination, etd FROM before_sailings
    UNION ALL
    SELECT s.destination, s.etd FROM core.sailings AS s SEMI JOIN changed_sailings AS c ON c.sailing_id = s.sailing_id
),
rate_states AS (
    SELECT destination, valid_from FROM before_freight_rates
    UNION ALL
    SELECT r.destination, r.valid_from FROM core.freight_rates AS r SEMI JOIN changed_freight_rates AS c ON c.rate_id = r.rate_id
)
SELECT left(destination, 2) AS destination_country, CAST(date_trunc('month', timezone('UTC', etd)) AS DATE) AS month
FROM sailing_states
UNION
SELECT left(destination, 2), CAST(date_trunc('month', valid_from) AS DATE)
FROM rate_states
