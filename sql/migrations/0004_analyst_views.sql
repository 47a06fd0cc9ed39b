-- 0004_analyst_views: views that answer analysts' first questions without
-- knowing the schema: what is in this file (meta.catalog) and how did the
-- recent runs go (meta.run_overview). Views cost nothing to keep and travel
-- with the snapshot, so every client sees them.

CREATE VIEW meta.catalog AS
SELECT c.schema_name,
       c.table_name,
       CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END AS kind,
       coalesce(t.comment, v.comment) AS table_comment,
       c.column_index,
       c.column_name,
       c.data_type,
       c.is_nullable,
       c.comment AS column_comment
FROM duckdb_columns() AS c
LEFT JOIN duckdb_tables() AS t
       ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name
LEFT JOIN duckdb_views() AS v
       ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
WHERE c.database_name = current_database()
  AND c.schema_name IN ('core', 'marts', 'meta', 'raw')
  AND NOT c.internal;
COMMENT ON VIEW meta.catalog IS 'Data dictionary: every table and view column of core, marts, meta and raw with its type and comment.';
COMMENT ON COLUMN meta.catalog.schema_name IS 'Schema: core, marts, meta or raw.';
COMMENT ON COLUMN meta.catalog.table_name IS 'Table or view name.';
COMMENT ON COLUMN meta.catalog.kind IS 'table or view.';
COMMENT ON COLUMN meta.catalog.table_comment IS 'What the table holds (its COMMENT ON).';
COMMENT ON COLUMN meta.catalog.column_index IS 'Position of the column in the table, from 1.';
COMMENT ON COLUMN meta.catalog.column_name IS 'Column name.';
COMMENT ON COLUMN meta.catalog.data_type IS 'DuckDB type of the column.';
COMMENT ON COLUMN meta.catalog.is_nullable IS 'Whether the column may hold NULL.';
COMMENT ON COLUMN meta.catalog.column_comment IS 'What the column means (its COMMENT ON).';

CREATE VIEW meta.run_overview AS
SELECT r.run_id,
       r.pipeline,
       r.status,
       r.started_at,
       r.finished_at,
       epoch(r.finished_at - r.started_at) AS duration_s,
       r.extracted,
       r.loaded,
       r.rejected,
       r.duplicates,
       (SELECT count(*) FROM meta.data_tests AS d
         WHERE d.run_id = r.run_id AND NOT d.passed AND d.severity = 'error') AS data_test_errors,
       (SELECT count(*) FROM meta.data_tests AS d
         WHERE d.run_id = r.run_id AND NOT d.passed AND d.severity = 'warn') AS data_test_warnings,
       r.error
FROM meta.runs AS r;
COMMENT ON VIEW meta.run_overview IS 'One line per run: status, duration, counts and data test outcome; ORDER BY started_at DESC for the latest.';
COMMENT ON COLUMN meta.run_overview.run_id IS 'Run identifier (meta.runs).';
COMMENT ON COLUMN meta.run_overview.pipeline IS 'Pipeline name.';
COMMENT ON COLUMN meta.run_overview.status IS 'running, ok, failed or interrupted.';
COMMENT ON COLUMN meta.run_overview.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN meta.run_overview.finished_at IS 'When the run finished (UTC).';
COMMENT ON COLUMN meta.run_overview.duration_s IS 'finished_at - started_at in seconds; NULL while running.';
COMMENT ON COLUMN meta.run_overview.extracted IS 'Records extracted over all steps.';
COMMENT ON COLUMN meta.run_overview.loaded IS 'Distinct natural keys merged into core.';
COMMENT ON COLUMN meta.run_overview.rejected IS 'Records rejected (meta.rejects).';
COMMENT ON COLUMN meta.run_overview.duplicates IS 'Repeats and older versions collapsed.';
COMMENT ON COLUMN meta.run_overview.data_test_errors IS 'Error-level data tests that failed in the run.';
COMMENT ON COLUMN meta.run_overview.data_test_warnings IS 'Warning-level data tests that failed in the run.';
COMMENT ON COLUMN meta.run_overview.error IS 'Why the run failed; NULL when it did not.';
