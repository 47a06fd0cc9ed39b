-- Freight rates per lane and container type in the latest month of
-- validity in the range.
SELECT origin,
       destination,
       equipment,
       month,
       rates,
       carriers,
       min_usd,
       median_usd,
       max_usd
FROM marts.freight_cost_monthly
WHERE ($equipment = '' OR equipment = $equipment)
  AND month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
QUALIFY month = max(month) OVER (PARTITION BY origin, destination, equipment)
ORDER BY median_usd DESC, origin, destination, equipment;
