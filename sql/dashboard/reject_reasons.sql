-- The five commonest reject reasons of each source, with the first example:
-- the field's raw value (when the record is JSON) and the record itself.
WITH reasons AS (
    SELECT source,
           dataset,
           coalesce(code, '') AS code,
           field,
           count(*) AS rejects,
           arg_min(reason, rejected_at) AS example_reason,
           arg_min(CASE WHEN json_valid(raw) THEN json_extract_string(raw, '$."' || replace(field, '"', '') || '"') END,
                   rejected_at) AS example_value,
           arg_min(left(raw, 300), rejected_at) AS example_record
    FROM meta.rejects
    GROUP BY source, dataset, code, field
)
SELECT *
FROM reasons
QUALIFY row_number() OVER (PARTITION BY source ORDER BY rejects DESC, code, field) <= 5
ORDER BY source, rejects DESC, code, field;
