-- The route, equipment and month groups of marts.freight_cost_monthly that
-- tonight's changes touch: each changed rate's, before the run and after.
SELECT origin, destination, equipment, CAST(date_trunc('month', valid_from) AS DATE) AS month
FROM before_freight_rates
UNION
SELECT r.origin, r.destination, r.equipment, CAST(date_trunc('month', r.valid_from) AS DATE)
FROM core.freight_rates AS r SEMI JOIN changed_freight_rates AS c ON c.rate_id = r.rate_id
