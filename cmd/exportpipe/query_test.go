package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/exportpipe/exportpipe/pipeline"
)

// query prints what DuckDB holds the way DuckDB's own CLI prints it. Each
// test compares what query printed, in every format, with what DuckDB
// itself renders for the same values on a connection of its own: CAST(x AS
// VARCHAR) for the table and CSV, to_json(x) for JSON.

// The issue's own example: Go's rendering printed [1 2], map[j:x k:1] and
// {3 0 0}.
func TestQueryPrintsNestedValuesAsDuckDB(t *testing.T) {
	db := newDuckDBFile(t, "CREATE TABLE t AS SELECT 1 AS x")
	out, stderr, code := cli(t, "query", "--db", db, "SELECT [1,2] AS l, {'k': 1, 'j': 'x'} AS s, INTERVAL 3 DAY AS i")
	want := "l       s                 i\n------  ----------------  ------\n[1, 2]  {'k': 1, 'j': x}  3 days\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, stderr %q, got\n%s\nwant\n%s", code, stderr, out, want)
	}
	out, _, _ = cli(t, "query", "--db", db, "--format", "json", "SELECT [1,2] AS l, {'k': 1, 'j': 'x'} AS s, INTERVAL 3 DAY AS i, MAP {'a': 1} AS m")
	want = "[\n  {\"l\": [1,2], \"s\": {\"k\":1,\"j\":\"x\"}, \"i\": \"3 days\", \"m\": {\"a\":1}}\n]\n"
	if out != want {
		t.Errorf("json: got\n%s\nwant\n%s", out, want)
	}
}

// Every kind of value, in the three formats, against DuckDB's rendering.
func TestQueryRoundTripsEveryKindOfValue(t *testing.T) {
	db := newDuckDBFile(t, `CREATE TABLE v AS SELECT * FROM (VALUES
  (1, 'plain', 42::BIGINT, 7::INTEGER, 2.5::DOUBLE, DATE '2026-11-28', TIMESTAMPTZ '2026-11-28 19:10:22.716682+05', true,
   [1, 2, NULL], ['a,b', 'it''s', NULL], {'k': 1, 'j': 'x', 'n': NULL}, MAP {'b': 2, 'a': 1}, MAP {1: [1.5]},
   INTERVAL '1 year 2 months 3 days 04:05:06.7', 1.50::DECIMAL(5,2), 12345678901234567890.123::DECIMAL(38,3),
   '\xAA\x00abc'::BLOB, 170141183460469231731687303715884105727::HUGEINT, 'nan'::DOUBLE, '-inf'::DOUBLE, 0.1::FLOAT,
   1e20::DOUBLE, -0.0::DOUBLE, TIMESTAMP '2026-01-01 00:00:00', [{'a': [MAP {'q': {'r': 1}}]}], 'línea "1"' || chr(10) || 'line 2',
   '8d0a8c1e-6c43-4f5d-9d3e-0f7a3d8c1b2a'::UUID, TIME '10:11:12', [[1, 2], []]),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, [])
) AS v(id, text, big, int, dbl, day, ts, flag, ints, texts, struct, map, map_nested, span, dec, dec38, blob, huge,
       nan, neg_inf, float, big_dbl, neg_zero, ts_naive, deep, multiline, uuid, clock, nested_lists)`)
	checkAgainstDuckDB(t, db, "SELECT * FROM v ORDER BY id")
}

// Every type the marts and meta use, read from a real snapshot: the types
// are found in the snapshot itself, so a new one is covered when a
// migration adds it.
func TestQueryRoundTripsTheSnapshotsTypes(t *testing.T) {
	dir := t.TempDir()
	if out, stderr, code := cli(t, "run", "--data-dir", dir, "--demo-listings", "2000"); code != 0 {
		t.Fatalf("demo run: exit %d\n%s%s", code, out, stderr)
	}
	snap := filepath.Join(dir, "analytics.duckdb")
	conn := openReadOnly(t, snap)
	rows, err := conn.QueryContext(context.Background(), `SELECT data_type, any_value(table_schema || '.' || table_name ORDER BY table_schema, table_name),
	        any_value(column_name ORDER BY table_schema, table_name, column_name)
	    FROM information_schema.columns WHERE table_schema IN ('marts', 'meta')
	    GROUP BY data_type ORDER BY data_type`)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for rows.Next() {
		var typ, table, column string
		if err := rows.Scan(&typ, &table, &column); err != nil {
			t.Fatal(err)
		}
		types = append(types, typ)
		t.Run(typ, func(t *testing.T) {
			checkAgainstDuckDB(t, snap, fmt.Sprintf(`SELECT %q FROM %s ORDER BY %q NULLS FIRST LIMIT 50`, column, table, column))
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BIGINT", "DATE", "DOUBLE", "TIMESTAMP WITH TIME ZONE", "VARCHAR"} {
		if !strings.Contains(strings.Join(types, ","), want) {
			t.Errorf("the snapshot's types %v lack %s", types, want)
		}
	}
}

// checkAgainstDuckDB runs q with query in each format and compares every
// cell with DuckDB's own rendering of it.
func checkAgainstDuckDB(t *testing.T, db, q string) {
	t.Helper()
	names, text, js := duckdbRendering(t, db, q)
	if len(text) == 0 {
		t.Fatalf("%s returned no rows; the test needs some", q)
	}

	out, stderr, code := cli(t, "query", "--db", db, "--format", "csv", q)
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("query's CSV does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(recs[0], names) {
		t.Errorf("csv header %q, want %q", recs[0], names)
	}
	for i, want := range text {
		for j, w := range want {
			exp := ""
			if w != nil {
				exp = *w
			}
			if got := recs[i+1][j]; got != exp {
				t.Errorf("csv row %d %s = %q, DuckDB renders %q", i, names[j], got, exp)
			}
		}
	}

	out, stderr, code = cli(t, "query", "--db", db, q)
	if code != 0 {
		t.Fatalf("table: exit %d: %s", code, stderr)
	}
	cells := parseTable(t, out)
	for i, want := range text {
		for j, w := range want {
			exp := "NULL"
			if w != nil {
				exp = controlChars.Replace(*w)
			}
			if got := cells[i+1][j]; got != exp {
				t.Errorf("table row %d %s = %q, DuckDB renders %q", i, names[j], got, exp)
			}
		}
	}

	out, stderr, code = cli(t, "query", "--db", db, "--format", "json", q)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var objs []map[string]any
	if err := dec.Decode(&objs); err != nil {
		t.Fatalf("query's JSON does not parse: %v\n%s", err, out)
	}
	for i, want := range js {
		for j, w := range want {
			got, ok := objs[i][names[j]]
			if !ok {
				t.Errorf("json row %d has no key %q: %v", i, names[j], objs[i])
				continue
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("json row %d %s = %#v, DuckDB's to_json gives %#v", i, names[j], got, w)
			}
		}
	}
}

// duckdbRendering asks DuckDB, on a connection of the test's own, how it
// renders each column of q as text and as JSON. JSON's non-finite numbers,
// which to_json writes as bare NaN and Infinity, are compared as the
// strings query promises instead.
func duckdbRendering(t *testing.T, db, q string) ([]string, [][]*string, [][]any) {
	t.Helper()
	conn := openReadOnly(t, db)
	rows, err := conn.QueryContext(context.Background(), "SELECT * FROM ("+q+") LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := rows.Columns()
	rows.Close()
	var text, jsonExprs []string
	for i := range names {
		text = append(text, fmt.Sprintf("CAST(#%d AS VARCHAR)", i+1))
		jsonExprs = append(jsonExprs, fmt.Sprintf("CAST(to_json(#%d) AS VARCHAR)", i+1))
	}
	read := func(exprs []string) [][]*string {
		rows, err := conn.QueryContext(context.Background(), "SELECT "+strings.Join(exprs, ", ")+" FROM ("+q+")")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]*string
		for rows.Next() {
			vals := make([]sql.NullString, len(exprs))
			ptrs := make([]any, len(exprs))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]*string, len(vals))
			for i, v := range vals {
				if v.Valid {
					s := v.String
					row[i] = &s
				}
			}
			out = append(out, row)
		}
		return out
	}
	nonFinite := strings.NewReplacer("-Infinity", `"-inf"`, "Infinity", `"inf"`, "NaN", `"nan"`)
	var js [][]any
	for _, r := range read(jsonExprs) {
		row := make([]any, len(r))
		for i, c := range r {
			if c == nil {
				continue
			}
			dec := json.NewDecoder(strings.NewReader(nonFinite.Replace(*c)))
			dec.UseNumber()
			if err := dec.Decode(&row[i]); err != nil {
				t.Fatalf("to_json %q: %v", *c, err)
			}
		}
		js = append(js, row)
	}
	return names, read(text), js
}

// parseTable cuts query's table into cells by the widths its dashed line
// shows.
func parseTable(t *testing.T, out string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("no table:\n%s", out)
	}
	var spans [][2]int
	at := 0
	for _, dashes := range strings.Split(lines[1], "  ") {
		n := utf8.RuneCountInString(dashes)
		spans = append(spans, [2]int{at, at + n})
		at += n + 2
	}
	var cells [][]string
	for i, l := range lines {
		if i == 1 {
			continue
		}
		r := []rune(l)
		var row []string
		for _, s := range spans {
			a, b := min(s[0], len(r)), min(s[1], len(r))
			row = append(row, strings.TrimSpace(string(r[a:b])))
		}
		cells = append(cells, row)
	}
	return cells
}

func newDuckDBFile(t *testing.T, ddl string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "q.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	return path
}

// openReadOnly opens a file as query does, with the session in UTC as
// query's is.
func openReadOnly(t *testing.T, path string) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(context.Background(), "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// Exactly one statement: the second of two used to be printed, and the
// first run unseen. Statements that return no rows are refused too.
func TestQueryRunsExactlyOneStatement(t *testing.T) {
	db := newDuckDBFile(t, "CREATE TABLE t AS SELECT 1 AS x")
	for _, q := range []string{"SELECT 1; SELECT 2", "SELECT 1;;SELECT 2", "", "  ;  ", "-- nothing", "SET threads = 1", "CALL duckdb_tables()",
		"COPY (SELECT 1) TO '" + filepath.Join(t.TempDir(), "x.csv") + "'"} {
		out, stderr, code := cli(t, "query", "--db", db, q)
		if code != pipeline.ExitUsage || out != "" {
			t.Errorf("query %q: exit %d, stdout %q, stderr %q; want exit 2 and nothing printed", q, code, out, stderr)
		}
	}
	// One statement with a trailing semicolon and comment is one statement.
	for _, q := range []string{"SELECT 1 AS x;", "SELECT 1 AS x -- why not", "FROM t", "DESCRIBE t", "PRAGMA table_info('t')"} {
		if _, stderr, code := cli(t, "query", "--db", db, q); code != 0 {
			t.Errorf("query %q: exit %d: %s", q, code, stderr)
		}
	}
}

// A pipe or a file gets every row, in the statement's order; --limit
// still cuts, and says so on stderr.
func TestQueryPrintsEveryRowWhenNotATerminal(t *testing.T) {
	db := newDuckDBFile(t, "CREATE TABLE t AS SELECT range AS i FROM range(5000)")
	for _, format := range queryFormats {
		out, stderr, code := cli(t, "query", "--db", db, "--format", format, "SELECT i FROM t ORDER BY i DESC")
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, code, stderr)
		}
		if n := strings.Count(out, "\n"); n < 5000 {
			t.Errorf("%s: %d lines, want every one of 5000 rows", format, n)
		}
		if i, j := strings.Index(out, "4999"), strings.Index(out, "\n0"); format == "csv" && (i < 0 || j < i) {
			t.Errorf("csv rows are not in the statement's order")
		}
	}
	out, stderr, code := cli(t, "query", "--db", db, "--format", "csv", "--limit", "10", "SELECT i FROM t ORDER BY i")
	if code != 0 || strings.Count(out, "\n") != 11 || !strings.Contains(stderr, "showing the first 10 rows") {
		t.Errorf("--limit 10: exit %d, %d lines, stderr %q", code, strings.Count(out, "\n"), stderr)
	}
	if _, _, code := cli(t, "query", "--db", db, "--limit", "-1", "SELECT 1"); code != pipeline.ExitUsage {
		t.Errorf("--limit -1: exit %d, want 2", code)
	}
}

// On a terminal, query shows the first 1000 rows and says there are more.
// script(1) from util-linux provides the pseudo-terminal.
func TestQueryLimitsRowsOnATerminal(t *testing.T) {
	exe := bin.Path(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed")
	}
	db := newDuckDBFile(t, "CREATE TABLE t AS SELECT range AS i FROM range(5000)")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tty, err := exec.CommandContext(ctx, script, "-qefc", exe+" query --db "+db+" 'SELECT i FROM t'", "/dev/null").Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, tty)
	}
	lines := bytes.Count(tty, []byte("\n"))
	if lines < 1000 || lines > 1005 || !bytes.Contains(tty, []byte("showing the first 1,000 rows")) {
		t.Errorf("%d lines on a terminal; want the header, 1000 rows and the notice:\n%s", lines, lastBytes(tty, 300))
	}
}

// --config queries that config's snapshot; a missing file is explained by
// how it was named.
func TestQueryConfigAndMissingFiles(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, "", strings.Replace(parityBase, "  path: DIR/w.duckdb\n", "  path: DIR/w.duckdb\n  snapshot: DIR/pub.duckdb\n", 1))
	_, stderr, code := cli(t, "query", "--config", cfgPath, "SELECT 1")
	if code != pipeline.ExitFailed || !strings.Contains(stderr, "no snapshot at "+filepath.Join(dir, "pub.duckdb")+" yet") || !strings.Contains(stderr, "run --config "+cfgPath) {
		t.Errorf("missing config snapshot: exit %d, %s", code, stderr)
	}
	if err := writeSellers(dir); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := cli(t, "run", "--config", cfgPath); code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := cli(t, "query", "--config", cfgPath, "--format", "csv", "SELECT seller_id, name FROM core.sellers")
	if code != 0 || out != "seller_id,name\nS1,Lahore Looms\n" {
		t.Errorf("query --config: exit %d, stderr %q, got %q", code, stderr, out)
	}
	_, stderr, _ = cli(t, "query", "--db", filepath.Join(dir, "typo.duckdb"), "SELECT 1")
	if !strings.Contains(stderr, "no DuckDB file at") || strings.Contains(stderr, "pass --db") {
		t.Errorf("missing --db file: %s", stderr)
	}
}

// Pointed at a working warehouse while a run writes it, query names the
// snapshot that run publishes (the run's lock says which), not the demo's.
func TestQueryOnABusyWarehouseNamesItsSnapshot(t *testing.T) {
	dir := t.TempDir()
	p := bin.Start(t, "run", "--data-dir", dir, "--demo-listings", "60000")
	p.WaitFor(t, 60*time.Second, `"msg":"run started"`)
	working := filepath.Join(dir, "warehouse.duckdb")
	_, stderr, code := cli(t, "query", "--db", working, "SELECT 1")
	p.Kill()
	want := "query --db " + filepath.Join(dir, "analytics.duckdb")
	if code != pipeline.ExitFailed || !strings.Contains(stderr, want) || strings.Contains(stderr, defaultSnapshot) {
		t.Errorf("exit %d, stderr %q; want the message to say %q", code, stderr, want)
	}
	for _, duck := range []string{"Could not set lock", "Conflicting lock", "IO Error"} {
		if strings.Contains(stderr, duck) {
			t.Errorf("the message shows DuckDB's %q: %s", duck, stderr)
		}
	}
}
