-- Every listing in core has exactly one current price in the history.
SELECT l.marketplace, l.listing_id, count(h.listing_id) AS open_prices
FROM core.listings AS l
LEFT JOIN core.listing_price_history AS h
       ON h.marketplace = l.marketplace AND h.listing_id = l.listing_id AND h.valid_to IS NULL
GROUP BY l.marketplace, l.listing_id
HAVING count(h.listing_id) <> 1
