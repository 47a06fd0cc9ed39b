//go:build duckdb_arrow

// Command duckdbalone runs the "DuckDB alone" baseline: the listings
// normalisation written as SQL (bench/baseline/duckdb_alone.sql) over the
// benchmark workload, through the same DuckDB library exportpipe uses.
//
//	go run -tags duckdb_arrow ./bench/duckdbalone -workload bench/out/n100000 -db /tmp/alone.duckdb [-listings csv]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func main() {
	workload := flag.String("workload", "", "folder made by bench/genlistings")
	db := flag.String("db", "", "DuckDB file to create (removed first)")
	script := flag.String("sql", "bench/baseline/duckdb_alone.sql", "baseline SQL script")
	format := flag.String("listings", "ndjson", "which listings file to read: ndjson (read_json) or csv (read_csv)")
	flag.Parse()
	if *workload == "" || *db == "" {
		log.Fatal("usage: duckdbalone -workload DIR -db FILE [-listings ndjson|csv]")
	}
	if *format != "ndjson" && *format != "csv" {
		log.Fatalf("-listings %q: want ndjson or csv", *format)
	}
	// The listings reader is the only part that differs between the two
	// files; everything after it is the same SQL.
	reader, err := os.ReadFile(filepath.Join(filepath.Dir(*script), "listings_"+*format+".sql"))
	if err != nil {
		log.Fatal(err)
	}
	body, err := os.ReadFile(*script)
	if err != nil {
		log.Fatal(err)
	}
	_ = os.Remove(*db)
	_ = os.Remove(*db + ".wal")
	cols, rows, err := warehouse.ExecScript(context.Background(), *db, expand(string(body), string(reader), *workload))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		for i, c := range cols {
			fmt.Printf("%s=%s ", c, r[i])
		}
		fmt.Println()
	}
}

// expand puts the listings reader into the script, then the workload folder
// into both.
func expand(script, reader, workload string) string {
	script = strings.Replace(script, "@LISTINGS@", strings.TrimSpace(reader), 1)
	return strings.ReplaceAll(script, "@WORKLOAD@", workload)
}
