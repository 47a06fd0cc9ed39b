// Command genlistings writes the benchmark workload: the demo simulator's
// messy marketplace data as NDJSON and CSV files, so the pipeline and the
// baselines it is compared with read exactly the same bytes.
//
//	go run ./bench/genlistings -n 1000000 -out bench/out/1m
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
)

func main() {
	n := flag.Int("n", 100000, "listings to generate")
	seed := flag.Int64("seed", 1, "simulator seed")
	out := flag.String("out", "bench/out/workload", "output folder")
	delta := flag.Float64("delta", 0.01, "share of listings re-emitted, changed, in listings_delta.ndjson")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	sim := demo.New(demo.Config{Seed: *seed, Listings: *n})
	h := sim.Handler()
	for _, ds := range []struct {
		path, name string
		d          pipeline.Dataset
		csv        bool
	}{
		{"/api/v1/fx-rates", "fx_rates", pipeline.FXRates, false},
		{"/api/v1/sellers", "sellers", pipeline.Sellers, false},
		{"/api/v1/listings", "listings", pipeline.Listings, true},
	} {
		if err := dump(h, ds.path, filepath.Join(*out, ds.name), ds.d, ds.csv); err != nil {
			log.Fatalf("%s: %v", ds.name, err)
		}
	}
	if err := writeDelta(filepath.Join(*out, "listings.ndjson"), filepath.Join(*out, "listings_delta.ndjson"), *delta); err != nil {
		log.Fatalf("delta: %v", err)
	}
	truth, _ := json.MarshalIndent(sim.Truth(), "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "truth.json"), truth, 0o644); err != nil {
		log.Fatal(err)
	}
}

// dump walks every page of one endpoint and writes its records as NDJSON
// (and CSV when asked), one record per line.
func dump(h http.Handler, path, base string, d pipeline.Dataset, withCSV bool) error {
	nd, err := os.Create(base + ".ndjson")
	if err != nil {
		return err
	}
	defer nd.Close()
	bw := bufio.NewWriterSize(nd, 1<<20)
	var cw *csv.Writer
	var cols []string
	if withCSV {
		f, err := os.Create(base + ".csv")
		if err != nil {
			return err
		}
		defer f.Close()
		cw = csv.NewWriter(bufio.NewWriterSize(f, 1<<20))
		cols = csvColumns(d)
		if err := cw.Write(cols); err != nil {
			return err
		}
	}
	cursor := ""
	for {
		page, next, err := fetch(h, path, cursor)
		if err != nil {
			return err
		}
		for _, rec := range page {
			bw.Write(rec)
			bw.WriteByte('\n')
			if cw != nil {
				if err := cw.Write(csvRow(rec, cols)); err != nil {
					return err
				}
			}
		}
		if next == nil || *next == "" {
			break
		}
		cursor = *next
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func fetch(h http.Handler, path, cursor string) ([]json.RawMessage, *string, error) {
	q := url.Values{"limit": {"5000"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: status %d", path, rec.Code)
	}
	var page struct {
		Data []json.RawMessage `json:"data"`
		Next *string           `json:"next_cursor"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		return nil, nil, err
	}
	return page.Data, page.Next, nil
}

// csvColumns are the listing keys as the simulator names them ("id" for
// listing_id), so the CSV reads like a marketplace export.
func csvColumns(d pipeline.Dataset) []string {
	cols := append([]string(nil), d.RawFields()...)
	if d == pipeline.Listings {
		cols[0] = "id"
	}
	return cols
}

func csvRow(rec json.RawMessage, cols []string) []string {
	var obj map[string]any
	_ = json.Unmarshal(rec, &obj)
	row := make([]string, len(cols))
	for i, c := range cols {
		switch v := obj[c].(type) {
		case nil:
		case string:
			row[i] = v
		default:
			b, _ := json.Marshal(v)
			row[i] = string(b)
		}
	}
	return row
}

// writeDelta picks every 1/share-th listing and re-emits it as changed at the
// source a day after the simulator's clock: what an incremental API would
// return the next night. Invalid records come along too, as they would.
func writeDelta(full, delta string, share float64) error {
	if share <= 0 {
		return nil
	}
	in, err := os.Open(full)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.Create(delta)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	every := int(1 / share)
	changed := demo.DefaultAsOf.Add(24 * time.Hour).Format(time.RFC3339)
	for i := 0; sc.Scan(); i++ {
		if i%every != 0 {
			continue
		}
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		rec["updated_at"] = changed
		b, _ := json.Marshal(rec)
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return bw.Flush()
}
