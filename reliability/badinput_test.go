//go:build duckdb_arrow

package reliability

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "testdata/badinput"

// TestBadRecords runs the record corpus (testdata/badinput: listings,
// sellers and FX rates with one defect each, plus generated 1 MB and deeply
// nested records) through the file extractor, the transforms and the
// warehouse. The run must succeed; every record must be loaded, collapsed
// as a duplicate, or rejected with a reason code, as its "expect" key says;
// and the counts must reconcile with the lines sent.
func TestBadRecords(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gen := filepath.Join(dir, "generated.ndjson")
	writeGeneratedRecords(t, gen)
	abs := func(p string) string { a, _ := filepath.Abs(filepath.Join(corpus, p)); return a }
	conf := writeFileConfig(t, dir, fileSource{"bad_fx", "fx_rates", abs("fx_rates.csv"), ""},
		fileSource{"bad_sellers", "sellers", abs("sellers.csv"), ""},
		fileSource{"bad_listings", "listings", abs("listings.ndjson") + `", "` + gen, ""})
	// The corpus is mostly defects, far past the reject guard; this test is
	// about what happens to each record, so the night is loaded on purpose.
	res := run(t, nil, "run", "--config", conf, "--allow-rejects")
	if res.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", res.code, tail(res.stderr, 3000))
	}
	db := filepath.Join(dir, "analytics.duckdb")

	lines := nonBlankLines(t, abs("listings.ndjson")) + nonBlankLines(t, gen)
	steps := lastOKSteps(t, db)
	for d, s := range steps {
		if s.Extracted != s.Valid+s.Invalid+s.Duplicates {
			t.Errorf("%s does not reconcile: %+v", d, s)
		}
	}
	if got := steps["listings"].Extracted; got != int64(lines) {
		t.Errorf("listings extracted %d, the files hold %d records", got, lines)
	}

	rejects := map[string]string{} // case -> reason
	var anonymous []string
	for _, r := range query(t, db, "SELECT raw, reason FROM meta.rejects WHERE dataset = 'listings'") {
		var rec struct{ Case string }
		if json.Unmarshal([]byte(r[0]), &rec) != nil || rec.Case == "" {
			anonymous = append(anonymous, r[1])
			continue
		}
		rejects[rec.Case] = r[1]
	}
	loaded := map[string]bool{}
	for _, r := range query(t, db, "SELECT listing_id FROM core.listings") {
		loaded[r[0]] = true
	}
	cases := readCases(t, abs("listings.ndjson"), gen)
	outcomes := map[string]int{}
	for _, c := range cases {
		reason, rejected := rejects[c.name]
		switch {
		case rejected && !strings.HasPrefix(reason, "["):
			t.Errorf("%s: rejected without a reason code: %q", c.name, reason)
		case strings.HasPrefix(c.expect, "reject:"):
			if code := "[" + strings.TrimPrefix(c.expect, "reject:") + "]"; !strings.HasPrefix(reason, code) {
				t.Errorf("%s: want rejected with %s, got rejected=%v %q", c.name, code, rejected, reason)
			}
		case c.expect == "load" || c.expect == "duplicate":
			if rejected {
				t.Errorf("%s: want loaded, rejected with %q", c.name, reason)
			} else if c.id != "" && !loaded[c.id] {
				t.Errorf("%s: want listing %q in core.listings", c.name, c.id)
			}
		case c.expect == "?":
			outcome := "loaded"
			if rejected {
				outcome = "rejected " + reason
			}
			t.Logf("%s: %s", c.name, outcome)
		}
		if rejected {
			outcomes["rejected"]++
		} else {
			outcomes["loaded or collapsed"]++
		}
	}
	outcomes["not an object, rejected"] = len(anonymous)
	for _, reason := range anonymous {
		if !strings.HasPrefix(reason, "[") {
			t.Errorf("a record that is not a JSON object was rejected without a reason code: %q", reason)
		}
	}
	total := steps["listings"].Invalid + steps["sellers"].Invalid + steps["fx_rates"].Invalid
	if n := atoi(t, query(t, db, "SELECT count(*) FROM meta.rejects")[0][0]); n != total {
		t.Errorf("meta.rejects holds %d rows, run_steps counted %d rejects", n, total)
	}
	t.Logf("%d bad records tried (listings %d, sellers %d, fx %d): %v",
		steps["listings"].Extracted+steps["sellers"].Extracted+steps["fx_rates"].Extracted,
		steps["listings"].Extracted, steps["sellers"].Extracted, steps["fx_rates"].Extracted, outcomes)
}

type recordCase struct{ name, expect, id string }

func readCases(t *testing.T, files ...string) []recordCase {
	t.Helper()
	var out []recordCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			var rec struct {
				Case, Expect string
				ListingID    any `json:"listing_id"`
			}
			if json.Unmarshal(l, &rec) != nil || rec.Case == "" {
				continue
			}
			id, _ := rec.ListingID.(string)
			out = append(out, recordCase{rec.Case, rec.Expect, id})
		}
	}
	return out
}

// writeGeneratedRecords writes the records too big to keep in the
// repository: a 1 MB title, a title nested 100,000 arrays deep, and a
// price of 1 MB of digits.
func writeGeneratedRecords(t *testing.T, path string) {
	t.Helper()
	rec := func(id, name, expect, field, raw string) string {
		return fmt.Sprintf(`{"listing_id":%q,"marketplace":"alibaba.com","seller_id":"AB1","title":"Towel","category":"Home Textiles",`+
			`"price":"US $2.50","moq":"1 Piece","updated_at":"2026-10-01T00:00:00Z","case":%q,"expect":%q,%q:%s}`,
			id, name, expect, field, raw)
	}
	big := `"` + strings.Repeat("A", 1<<20) + `"`
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	digits := `"US $` + strings.Repeat("9", 1<<20) + `"`
	lines := []string{
		rec("BI-BIG-1", "1 MB title", "load", "title", big),
		rec("BI-DEEP-1", "title nested 100000 deep", "?", "title", deep),
		rec("BI-DIGITS-1", "price of 1 MB of digits", "?", "price", digits),
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func nonBlankLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			n++
		}
	}
	return n
}

type fileSource struct{ name, dataset, path, extra string }

// writeFileConfig writes a config of kind file sources into dir.
func writeFileConfig(t *testing.T, dir string, sources ...fileSource) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "pipeline: badinput\nwarehouse:\n  path: %s/warehouse.duckdb\n  snapshot: %s/analytics.duckdb\nsources:\n", dir, dir)
	for _, s := range sources {
		fmt.Fprintf(&b, "  - name: %s\n    dataset: %s\n    kind: file\n    file:\n      paths: [\"%s\"]\n", s.name, s.dataset, s.path)
		if s.extra != "" {
			fmt.Fprintf(&b, "      %s\n", s.extra)
		}
	}
	path := filepath.Join(dir, "pipeline.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBadFiles runs one broken file at a time. A file whose records can
// still be told apart loads them or rejects them one by one; a file that
// cannot be read as its format at all fails the run with exit 1 and an
// error naming the file, commits nothing and publishes nothing.
func TestBadFiles(t *testing.T) {
	t.Parallel()
	gen := t.TempDir()
	bomb := filepath.Join(gen, "bomb.csv.gz")
	writeGzipBomb(t, bomb, 256<<20)
	longLine := filepath.Join(gen, "long-line.ndjson")
	writeFile(t, longLine, []byte(`{"seller_id":"`+strings.Repeat("x", 17<<20)+`"}`+"\n"))
	deepDoc := filepath.Join(gen, "deep.json")
	writeFile(t, deepDoc, []byte(`[{"seller_id":`+strings.Repeat("[", 1<<20)+strings.Repeat("]", 1<<20)+`}]`))
	longCell := filepath.Join(gen, "long-cell.csv")
	writeFile(t, longCell, []byte("seller_id,marketplace\n\""+strings.Repeat("y", 17<<20)+"\",alibaba.com\n"))

	in := func(name string) string { a, _ := filepath.Abs(filepath.Join(corpus, "files", name)); return a }
	cases := []struct {
		name, path, extra string
		wantCode          int
		wantErr           string // part of the error, when the run fails
		wantExtracted     int64  // sellers extracted, when it succeeds (-1: any)
		wantLoaded        int64
	}{
		{name: "empty file", path: in("empty.csv")},
		{name: "header only", path: in("header-only.csv")},
		{name: "byte order mark", path: in("bom.csv"), wantExtracted: 2, wantLoaded: 2},
		// Files read as garbage (a pretty-printed array read line by line
		// among them): every record is rejected with a reason, and a source
		// that loads nothing fails the night (exit 5).
		{name: "PNG named .csv", path: in("image-named.csv"), wantCode: 5, wantErr: "all rejected"},
		{name: "UTF-16 CSV", path: in("utf16.csv"), wantCode: 5, wantErr: "all rejected"},
		{name: "NUL byte in a cell", path: in("nul-byte.csv"), wantExtracted: -1},
		{name: "pretty JSON array named .ndjson", path: in("array-named.ndjson"), wantCode: 5, wantErr: "loaded 0 of 4 records, all rejected"},
		{name: "CSV named .json", path: in("csv-named.json"), wantCode: 1, wantErr: "want an array of records"},
		{name: "JSON array cut off", path: in("truncated.json"), wantCode: 1, wantErr: "truncated.json"},
		{name: "text named .parquet", path: in("text-named.parquet"), wantCode: 1, wantErr: "text-named.parquet"},
		{name: "gzip magic then garbage", path: in("corrupt.csv.gz"), wantCode: 1, wantErr: "corrupt.csv.gz"},
		{name: "gzip bomb (256 MB of zeros) over max_bytes", path: bomb, extra: "max_bytes: 8388608",
			wantCode: 1, wantErr: "larger than max_bytes"},
		{name: "gzip bomb (256 MB of zeros) under the default limit", path: bomb, wantCode: 1, wantErr: "record too large"},
		{name: "17 MB NDJSON line", path: longLine, wantCode: 1, wantErr: "the most one record may take"},
		{name: "17 MB CSV cell", path: longCell, wantCode: 1, wantErr: "record too large"},
		{name: "JSON nested a million deep", path: deepDoc, wantCode: 1, wantErr: "deep.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			conf := writeFileConfig(t, dir, fileSource{"bad_file", "sellers", tc.path, tc.extra})
			res := run(t, nil, "run", "--config", conf)
			if res.code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", res.code, tc.wantCode, tail(res.stderr, 2000))
			}
			if tc.wantCode != 0 {
				last := lastLine(res.stderr)
				if !strings.Contains(last, tc.wantErr) || !strings.Contains(last, "bad_file") {
					t.Errorf("error %q does not name the source and say %q", last, tc.wantErr)
				}
				if _, err := os.Stat(filepath.Join(dir, "analytics.duckdb")); err == nil {
					t.Errorf("a failed run published a snapshot")
				}
				if n := query(t, filepath.Join(dir, "warehouse.duckdb"), "SELECT count(*) FROM core.sellers")[0][0]; n != "0" {
					t.Errorf("a failed run committed %s sellers", n)
				}
				t.Logf("failed as it should: %s", tail(last, 300))
				return
			}
			s := lastOKSteps(t, filepath.Join(dir, "analytics.duckdb"))["sellers"]
			if s.Extracted != s.Valid+s.Invalid+s.Duplicates {
				t.Errorf("does not reconcile: %+v", s)
			}
			if tc.wantExtracted >= 0 && (s.Extracted != tc.wantExtracted || s.Valid != tc.wantLoaded) {
				t.Errorf("extracted %d, loaded %d; want %d, %d", s.Extracted, s.Valid, tc.wantExtracted, tc.wantLoaded)
			}
			t.Logf("extracted %d, loaded %d, rejected %d", s.Extracted, s.Valid, s.Invalid)
		})
	}
}

// writeGzipBomb writes n zero bytes (a multiple of 1 MiB), gzipped: one
// compressed MiB repeated as gzip members, which readers join into one
// stream, so the bomb costs nothing to make.
func writeGzipBomb(t *testing.T, path string, n int) {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	writeFile(t, path, bytes.Repeat(member.Bytes(), n>>20))
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
