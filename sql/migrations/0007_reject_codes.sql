-- 0007_reject_codes: meta.rejects gets the reason code in a column of its
-- own. The reason text has always started with it ("[no_fx_rate] no USD
-- rate for BDT on or before 2023-01-01"), but analysts group and filter by
-- the code, and a column says so in the catalog instead of in a regexp.
-- Rows written before this migration get theirs from the text.
ALTER TABLE meta.rejects ADD COLUMN code VARCHAR;
UPDATE meta.rejects SET code = nullif(regexp_extract(reason, '^\[([a-z0-9_]+)\]', 1), '');
COMMENT ON COLUMN meta.rejects.code IS 'Reason code, e.g. no_fx_rate, unknown_port (the README lists them); the reason column has the code and a message.';
