package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The tool reports one line per source with the records the extractor
// counted, and refuses a source name the config does not have.
func TestReportsEachSourceOnce(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "listings.ndjson")
	lines := `{"id":"1","marketplace":"daraz.pk","price":"Rs. 1,455"}
{"id":"2","marketplace":"daraz.pk","price":"Rs. 990"}
{"id":"3","marketplace":"daraz.pk","price":"Rs. 12"}
`
	if err := os.WriteFile(data, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "bench.yaml")
	yaml := `pipeline: t
warehouse: {path: ` + filepath.Join(dir, "w.duckdb") + `}
sources:
  - name: few_listings
    dataset: listings
    kind: file
    file:
      paths: ["` + data + `"]
      fields: {listing_id: id}
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	var out bytes.Buffer
	if err := run(&out, cfg, "", true, log); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "source\trecords\t") {
		t.Fatalf("want a header and one source line, got:\n%s", out.String())
	}
	cols := strings.Split(rows[1], "\t")
	if want := strconv.Itoa(len(lines)); cols[0] != "few_listings" || cols[1] != "3" || cols[2] != want {
		t.Errorf("want few_listings with 3 records and %s bytes, got %q", want, rows[1])
	}

	if err := run(io.Discard, cfg, "nope", false, log); err == nil || !strings.Contains(err.Error(), `no source named "nope"`) {
		t.Errorf("an unknown -source should be refused by name, got %v", err)
	}
}
