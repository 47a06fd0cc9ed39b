-- Category shares add up to one whenever there are listings.
SELECT sum(share) AS total_share
FROM marts.category_share
HAVING count(*) > 0 AND abs(sum(share) - 1) > 1e-9
