-- The routes of marts.route_performance that tonight's changes touch: the
-- route of every changed sailing before the run and after it (a re-timed
-- or corrected sailing can change route).
SELECT carrier, origin, destination FROM before_sailings
UNION
SELECT s.carrier, s.origin, s.destination
FROM core.sailings AS s SEMI JOIN changed_sailings AS c ON c.sailing_id = s.sailing_id
