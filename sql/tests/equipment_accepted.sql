-- Container types are the canonical 20GP, 40GP or 40HC.
SELECT rate_id, equipment
FROM core.freight_rates
WHERE equipment NOT IN ('20GP', '40GP', '40HC')
