-- Monthly on-time share of one carrier ($focus) beside all the others.
SELECT month,
       CASE WHEN carrier = $focus THEN carrier ELSE 'others' END AS carrier,
       CAST(sum(arrived) AS BIGINT) AS arrived,
       CAST(sum(on_time) AS BIGINT) AS on_time,
       sum(on_time) / nullif(sum(arrived), 0) AS on_time_share
FROM marts.route_performance_monthly
WHERE month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
GROUP BY ALL
ORDER BY month, carrier;
