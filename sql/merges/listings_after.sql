-- Listings, after the merge into core.listings (see listings.sql): the
-- status columns the warehouse keeps itself.

-- Withdrawn: the newest version was unusable; the row holds the last good
-- one, which is not current.
UPDATE core.listings AS l
SET withdrawn_at = w.withdrawn_at, withdrawn_reason = w.withdrawn_reason
FROM merge_withdrawn AS w
WHERE l.marketplace = w.marketplace AND l.listing_id = w.listing_id;

-- A usable version newer than the withdrawal ends it.
UPDATE core.listings AS l
SET withdrawn_at = NULL, withdrawn_reason = NULL
FROM merge_changes AS c
WHERE c._action = 'update'
  AND l.marketplace = c.marketplace AND l.listing_id = c.listing_id
  AND l.withdrawn_at IS NOT NULL AND l.updated_at >= l.withdrawn_at;

-- Withdrawn and relisted keys leave or rejoin what the marts count, even
-- when their content is unchanged (changed_listings, sql/warehouse/changes.go);
-- one whose withdrawal a newer version ended was updated, and is noted already.
INSERT INTO changed_listings SELECT marketplace, listing_id FROM merge_withdrawn;
INSERT INTO changed_listings
SELECT l.marketplace, l.listing_id
FROM core.listings AS l
SEMI JOIN merge_changes AS c ON c.marketplace = l.marketplace AND c.listing_id = l.listing_id
WHERE l.delisted_at IS NOT NULL;

-- A delisted listing that any source returns again is listed again.
INSERT INTO merge_counts
SELECT 'relisted', count(*)
FROM core.listings AS l
SEMI JOIN merge_changes AS c ON c.marketplace = l.marketplace AND c.listing_id = l.listing_id
WHERE l.delisted_at IS NOT NULL;

UPDATE core.listings AS l
SET delisted_at = NULL
FROM merge_changes AS c
WHERE l.marketplace = c.marketplace AND l.listing_id = c.listing_id
  AND l.delisted_at IS NOT NULL;

DROP TABLE merge_withdrawn;
