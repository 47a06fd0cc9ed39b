//go:build duckdb_arrow

// Command martsequal checks that two DuckDB files hold the same marts, row
// for row: bench/run.sh compares a night's incrementally maintained marts
// with a rebuild of the same warehouse (exportpipe run --rebuild-marts).
//
//	go run -tags duckdb_arrow ./bench/martsequal A.duckdb B.duckdb
//
// It prints "marts equal" and exits 0, or prints each mart that differs
// and exits 1.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: martsequal A.duckdb B.duckdb")
	}
	diffs, err := warehouse.CompareMarts(context.Background(), os.Args[1], os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	if len(diffs) > 0 {
		os.Exit(1)
	}
	fmt.Println("marts equal")
}
