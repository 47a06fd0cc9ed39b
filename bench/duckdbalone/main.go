//go:build duckdb_arrow

// Command duckdbalone runs the "DuckDB alone" baseline: the listings
// normalisation written as SQL (bench/baseline/duckdb_alone.sql) over the
// benchmark workload, through the same DuckDB library exportpipe uses.
//
//	go run -tags duckdb_arrow ./bench/duckdbalone -workload bench/out/n100000 -db /tmp/alone.duckdb
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func main() {
	workload := flag.String("workload", "", "folder made by bench/genlistings")
	db := flag.String("db", "", "DuckDB file to create (removed first)")
	script := flag.String("sql", "bench/baseline/duckdb_alone.sql", "baseline SQL script")
	flag.Parse()
	if *workload == "" || *db == "" {
		log.Fatal("usage: duckdbalone -workload DIR -db FILE")
	}
	body, err := os.ReadFile(*script)
	if err != nil {
		log.Fatal(err)
	}
	_ = os.Remove(*db)
	_ = os.Remove(*db + ".wal")
	cols, rows, err := warehouse.ExecScript(context.Background(), *db, strings.ReplaceAll(string(body), "@WORKLOAD@", *workload))
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
