-- Sailings and on-time arrivals (within a day of ETA) per carrier, summed
-- over the months of promised arrival (eta_first) in the range.
SELECT carrier,
       CAST(sum(sailings) AS BIGINT) AS sailings,
       CAST(sum(arrived) AS BIGINT) AS arrived,
       CAST(sum(on_time) AS BIGINT) AS on_time,
       sum(on_time) / nullif(sum(arrived), 0) AS on_time_share
FROM marts.route_performance_monthly
WHERE month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
GROUP BY carrier
ORDER BY on_time_share DESC NULLS LAST, carrier;
