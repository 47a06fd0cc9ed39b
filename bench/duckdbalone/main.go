//go:build duckdb_arrow

// Command duckdbalone runs the "DuckDB alone" baseline: the listings
// normalisation written as SQL (bench/baseline/duckdb_alone.sql) over the
// benchmark workload, through the same DuckDB library exportpipe uses, so
// no DuckDB CLI is needed. It prints the counts on stdout.
//
//	go run -tags duckdb_arrow ./bench/duckdbalone -workload bench/out/n100000 -db /tmp/alone.duckdb [-listings csv]
//
// With -check, it runs nothing new: it compares the baseline's file (-db)
// with exportpipe's warehouse or snapshot of the same workload
// (bench/baseline/check.sql) and exits 1 when they disagree, so a baseline
// that is fast because it does less is caught.
//
//	go run -tags duckdb_arrow ./bench/duckdbalone -db /tmp/alone.duckdb -check bench/out/n100000/wh/analytics.duckdb
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func main() {
	workload := flag.String("workload", "", "folder made by bench/genlistings")
	db := flag.String("db", "", "DuckDB file: created afresh by a run, read by -check")
	script := flag.String("sql", "bench/baseline/duckdb_alone.sql", "baseline SQL script; the listings readers (listings_ndjson.sql, listings_csv.sql) sit beside it")
	format := flag.String("listings", "ndjson", "which listings file to read: ndjson (read_json) or csv (read_csv)")
	check := flag.String("check", "", "exportpipe's warehouse or snapshot of the same workload: compare instead of run")
	keep := flag.Bool("keep", false, "run on the existing -db file instead of a fresh one (for trying statements on tables a run left)")
	steps := flag.Bool("steps", false, "run the script one statement at a time and log each one's duration on stderr (slower: DuckDB is opened per statement)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	stepLog, keepDB = log, *keep
	if *steps {
		execScript = execSteps
	}
	if err := run(*workload, *db, *script, *format, *check); err != nil {
		log.Error("duckdbalone failed", "err", err)
		os.Exit(1)
	}
}

func run(workload, db, script, format, check string) error {
	ctx := context.Background()
	if db == "" {
		return fmt.Errorf("-db is required: usage: duckdbalone -workload DIR -db FILE [-listings ndjson|csv], or duckdbalone -db FILE -check EXPORTPIPE.duckdb")
	}
	if check != "" {
		return compare(ctx, db, filepath.Join(filepath.Dir(script), "check.sql"), check)
	}
	if workload == "" {
		return fmt.Errorf("-workload is required: the folder bench/genlistings wrote")
	}
	if format != "ndjson" && format != "csv" {
		return fmt.Errorf("-listings %q: want ndjson or csv", format)
	}
	// The listings reader is the only part that differs between the two
	// formats; everything after it is the same SQL.
	reader, err := os.ReadFile(filepath.Join(filepath.Dir(script), "listings_"+format+".sql"))
	if err != nil {
		return err
	}
	body, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	if !keepDB {
		_ = os.Remove(db)
		_ = os.Remove(db + ".wal")
	}
	cols, rows, err := execScript(ctx, db, expand(string(body), string(reader), workload))
	if err != nil {
		return err
	}
	for _, r := range rows {
		for i, c := range cols {
			fmt.Printf("%s=%s ", c, r[i])
		}
		fmt.Println()
	}
	return nil
}

// compare runs the check script and prints each check; any whose got and
// want differ fails the comparison.
func compare(ctx context.Context, db, script, exportpipeDB string) error {
	body, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(exportpipeDB)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("exportpipe's database: %w; run exportpipe on the same workload first", err)
	}
	_, rows, err := warehouse.ExecScript(ctx, db, strings.ReplaceAll(string(body), "@EXPORTPIPE@", abs))
	if err != nil {
		return err
	}
	bad := 0
	for _, r := range rows {
		mark := "ok"
		if r[1] != r[2] {
			mark, bad = "MISMATCH", bad+1
		}
		fmt.Printf("%-8s %-55s baseline %-10s exportpipe %s\n", mark, r[0], r[1], r[2])
	}
	if bad > 0 {
		return fmt.Errorf("the baseline disagrees with exportpipe on %d of %d checks (above): fix bench/baseline/duckdb_alone.sql before timing it", bad, len(rows))
	}
	return nil
}

var (
	execScript = warehouse.ExecScript
	stepLog    *slog.Logger
	keepDB     bool
)

// execSteps runs script statement by statement on one connection and
// logs how long each took: where the baseline's time goes, statement by
// statement, next to EXPLAIN ANALYZE for the operators inside one.
// Statements end with ";" at the end of a line.
func execSteps(ctx context.Context, path, script string) ([]string, [][]string, error) {
	var stmts []string
	for _, stmt := range strings.SplitAfter(script, ";\n") {
		if strings.TrimSpace(stripComments(stmt)) != "" {
			stmts = append(stmts, stmt)
		}
	}
	return warehouse.ExecSteps(ctx, path, stmts, func(i int, took time.Duration) {
		stepLog.Info("statement done", "seconds", took.Seconds(), "sql", firstLine(stripComments(stmts[i])))
	})
}

func stripComments(stmt string) string {
	var out []string
	for _, l := range strings.Split(stmt, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// expand puts the listings reader into the script, then the workload folder
// into both.
func expand(script, reader, workload string) string {
	script = strings.ReplaceAll(script, "@LISTINGS@", strings.TrimSpace(reader))
	return strings.ReplaceAll(script, "@WORKLOAD@", workload)
}
