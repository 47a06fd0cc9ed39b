-- The route-months of marts.route_performance_monthly that tonight's
-- changes touch: each changed sailing's route and month of promised
-- arrival, before the run and after it (a backfill that finds an older
-- version can move the promise, and with it the month).
SELECT carrier, origin, destination, CAST(date_trunc('month', timezone('UTC', eta_first)) AS DATE) AS month
FROM before_sailings
UNION
SELECT s.carrier, s.origin, s.destination, CAST(date_trunc('month', timezone('UTC', s.eta_first)) AS DATE)
FROM core.sailings AS s SEMI JOIN changed_sailings AS c ON c.sailing_id = s.sailing_id
