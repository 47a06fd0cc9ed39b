-- Sailings from Pakistani ports per destination country over the months of
-- departure in the range, with the latest 40-foot rate quoted there. The
-- mart keeps the on-time share, so on-time sailings are share x arrived.
SELECT destination_country,
       CAST(sum(sailings) AS BIGINT) AS sailings,
       CAST(sum(arrived) AS BIGINT) AS arrived,
       CAST(round(sum(coalesce(on_time_share, 0) * arrived)) AS BIGINT) AS on_time,
       round(sum(coalesce(on_time_share, 0) * arrived)) / nullif(sum(arrived), 0) AS on_time_share,
       arg_max(median_rate_usd_40ft, month) FILTER (WHERE median_rate_usd_40ft IS NOT NULL) AS rate_usd_40ft,
       max(month) FILTER (WHERE median_rate_usd_40ft IS NOT NULL) AS rate_month
FROM marts.exports_by_destination
WHERE month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE)
GROUP BY destination_country
ORDER BY sailings DESC, destination_country;
