-- 0008_sailing_port_coordinates: sailings gain the positions of their
-- origin and destination ports, in decimal degrees (south and west
-- negative), as the UN/LOCODE code list's coordinates column gives them
-- ("2449N 06658E": degrees and minutes). They are filled only when
-- normalise.reference.unlocode names that file; a port it lists with an
-- empty or malformed cell, a port it does not list, and every port without
-- the file leave them NULL. Rows loaded before this migration keep NULL
-- until a run sees them again.
--
-- ALTER TABLE ... ADD COLUMN appends; pipeline.TypedSchema lists these
-- after flag, its last sailings column until now.

ALTER TABLE core.sailings ADD COLUMN origin_lat DOUBLE;
ALTER TABLE core.sailings ADD COLUMN origin_lon DOUBLE;
ALTER TABLE core.sailings ADD COLUMN destination_lat DOUBLE;
ALTER TABLE core.sailings ADD COLUMN destination_lon DOUBLE;
COMMENT ON COLUMN core.sailings.origin_lat IS 'Latitude of the origin port in decimal degrees (south negative), from the coordinates column of the UN/LOCODE file (normalise.reference.unlocode); NULL when no such file is loaded, it does not list the port, or the port''s cell is empty or malformed.';
COMMENT ON COLUMN core.sailings.origin_lon IS 'Longitude of the origin port in decimal degrees (west negative), from the coordinates column of the UN/LOCODE file (normalise.reference.unlocode); NULL when no such file is loaded, it does not list the port, or the port''s cell is empty or malformed.';
COMMENT ON COLUMN core.sailings.destination_lat IS 'Latitude of the destination port in decimal degrees (south negative), from the coordinates column of the UN/LOCODE file (normalise.reference.unlocode); NULL when no such file is loaded, it does not list the port, or the port''s cell is empty or malformed.';
COMMENT ON COLUMN core.sailings.destination_lon IS 'Longitude of the destination port in decimal degrees (west negative), from the coordinates column of the UN/LOCODE file (normalise.reference.unlocode); NULL when no such file is loaded, it does not list the port, or the port''s cell is empty or malformed.';
