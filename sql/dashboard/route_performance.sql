-- Every column of marts.route_performance as the snapshot has it, so a
-- column added to the mart shows without a change here.
SELECT *
FROM marts.route_performance
WHERE $carrier = '' OR carrier = $carrier
ORDER BY carrier, origin, destination;
