-- severity: warn
-- Current listings whose stated discount disagrees with their list and sale
-- prices (core.listings.discount_mismatch; the rule is in the README under
-- Normalisation). The discount is optional and the price stays usable, so
-- such a listing is kept and flagged rather than rejected. A warning, so
-- that a source whose discounts or list prices mean something else than
-- they seem (a price before tax, a members' price) shows up as a growing
-- count before anyone charts its discounts.
SELECT marketplace, listing_id, list_price, price_min, discount_pct
FROM core.current_listings
WHERE discount_mismatch
