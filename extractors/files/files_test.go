package files

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// row is one extracted raw row: seller_id, name, country and _raw.
type row struct{ id, name, country, raw string }

func extract(t *testing.T, cfg Config) ([]row, pipeline.ExtractStats, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	if cfg.Dataset == "" {
		cfg.Dataset = pipeline.Sellers
	}
	cfg.Name = "test_files"
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	str := func(a arrow.Array, i int) string {
		if a.IsNull(i) {
			return "<null>"
		}
		return a.(*array.String).Value(i)
	}
	stats, err := e.Extract(context.Background(), mem, func(rec arrow.RecordBatch) error {
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, row{str(rec.Column(0), i), str(rec.Column(2), i), str(rec.Column(3), i), str(rec.Column(7), i)})
		}
		return nil
	})
	return rows, stats, err
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

const sellersCSV = "seller_id,name,country\nS-1,\"Ali, Sons\",Pakistan\nS-2,\"Multi\nline\",\"Taiwan, China\"\nS-3,,PK\n"

func TestFormats(t *testing.T) {
	t.Parallel()
	want := []row{{"S-1", "Ali, Sons", "Pakistan", ""}, {"S-2", "Multi\nline", "Taiwan, China", ""}, {"S-3", "<null>", "PK", ""}}
	ndjson := `{"seller_id":"S-1","name":"Ali, Sons","country":"Pakistan"}` + "\n\n" +
		`{"seller_id":"S-2","name":"Multi\nline","country":"Taiwan, China"}` + "\r\n" + `{"seller_id":"S-3","country":"PK"}`
	array := "[" + strings.ReplaceAll(strings.ReplaceAll(ndjson, "\r\n", ","), "\n\n", ",") + "]"
	cases := []struct {
		name string
		file string
		data []byte
		cfg  Config
	}{
		{"csv", "s.csv", []byte(sellersCSV), Config{}},
		{"csv with BOM", "s.csv", append([]byte("\xEF\xBB\xBF"), sellersCSV...), Config{}},
		{"tsv", "s.tsv", []byte("seller_id\tname\tcountry\nS-1\tAli, Sons\tPakistan\nS-2\t\"Multi\nline\"\tTaiwan, China\nS-3\t\tPK\n"), Config{}},
		{"semicolon, renamed columns", "s.txt", []byte("a;b;c\nS-1;Ali, Sons;Pakistan\nS-2;\"Multi\nline\";Taiwan, China\nS-3;;PK\n"),
			Config{CSV: CSVOptions{Delimiter: ';'}, Mapping: pipeline.Mapping{Fields: map[string]string{"seller_id": "a", "name": "b", "country": "c"}}}},
		{"no header", "s.csv", []byte(strings.SplitN(sellersCSV, "\n", 2)[1]), Config{CSV: CSVOptions{NoHeader: true, Columns: []string{"seller_id", "name", "country"}}}},
		{"gzip csv", "s.csv.gz", gz([]byte(sellersCSV)), Config{}},
		{"gzip found by magic, not name", "s.csv", gz([]byte(sellersCSV)), Config{}},
		{"ndjson", "s.ndjson", []byte(ndjson), Config{}},
		{"json array", "s.json", []byte(array), Config{}},
		{"json array inside an object", "s.json", []byte(`{"meta":{"n":3},"result":{"items":` + array + `}}`), Config{RecordsPath: "result.items"}},
		// Fields read out of arrays by index (the last from the end), as a
		// Daraz crawl keeps category ids and seller details in lists.
		{"ndjson with array paths", "s.ndjson", []byte(`{"ids":["S-1"],"names":["x","Ali, Sons"],"where":[{"c":"Pakistan"}]}` + "\n" +
			`{"ids":["S-2","S-9"],"names":["Multi\nline"],"where":[{"c":"Taiwan, China"}]}` + "\n" +
			`{"ids":["S-3"],"names":[],"where":[{"c":"PK"}]}`),
			Config{Mapping: pipeline.Mapping{Fields: map[string]string{"seller_id": "ids.0", "name": "names.-1", "country": "{where.0.c}"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.cfg.Paths = []string{write(t, tc.file, tc.data)}
			rows, stats, err := extract(t, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || stats.Records != 3 || stats.Pages != 1 {
				t.Fatalf("rows %v stats %+v", rows, stats)
			}
			for i, w := range want {
				if g := rows[i]; g.id != w.id || g.name != w.name || g.country != w.country || !json.Valid([]byte(g.raw)) {
					t.Errorf("row %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestParquet(t *testing.T) {
	t.Parallel()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "seller_id", Type: arrow.BinaryTypes.String}, {Name: "joined_at", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true}, {Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	for i := range 1000 {
		b.Field(0).(*array.StringBuilder).Append("S-" + string(rune('a'+i%26)))
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(1748772000000000 + int64(i)))
		b.Field(2).(*array.Int64Builder).Append(int64(i))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	tbl := array.NewTableFromRecords(sc, []arrow.RecordBatch{rec})
	defer tbl.Release()
	if err := pqarrow.WriteTable(tbl, &buf, 300, nil, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
	}{{"local", "s.parquet", buf.Bytes()}, {"gzipped", "s.parquet.gz", gz(buf.Bytes())}} {
		t.Run(tc.name, func(t *testing.T) {
			rows, _, err := extract(t, Config{Paths: []string{write(t, tc.file, tc.data)}, BatchSize: 128,
				Mapping: pipeline.Mapping{Fields: map[string]string{"name": "{seller_id}#{n}", "country": "joined_at"}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1000 || rows[999].name != "S-l#999" || rows[0].country != "2025-06-01T10:00:00Z" {
				t.Fatalf("%d rows, last %+v, first %+v", len(rows), rows[999], rows[0])
			}
		})
	}
}

func TestRaggedRowsAreKept(t *testing.T) {
	t.Parallel()
	data := []byte("seller_id,name,country\nS-1,A,PK\nS-2,B\nS-3,C,PK,extra\nS-4,D,CN\n")
	for _, tc := range []struct{ policy, wantIDs string }{{"reject", "S-1 <null> <null> S-4"}, {"pad", "S-1 S-2 <null> S-4"}} {
		t.Run(tc.policy, func(t *testing.T) {
			t.Parallel()
			rows, _, err := extract(t, Config{Paths: []string{write(t, "r.csv", data)}, CSV: CSVOptions{Ragged: tc.policy}})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.id)
			}
			if got := strings.Join(ids, " "); got != tc.wantIDs {
				t.Fatalf("ids %q, want %q", got, tc.wantIDs)
			}
			if !strings.Contains(rows[2].raw, `"_error":"row has 4 fields, the header has 3"`) || !strings.Contains(rows[2].raw, `"extra"`) {
				t.Fatalf("raw of a long row: %s", rows[2].raw)
			}
		})
	}
}

func TestInputsAndLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, n := range []string{"b.csv", "a.csv"} {
		os.WriteFile(filepath.Join(dir, n), []byte(sellersCSV), 0o644)
	}
	bomb := write(t, "bomb.csv.gz", gz(append([]byte("seller_id\n"), bytes.Repeat([]byte("S-1\n"), 1<<18)...)))
	cases := []struct {
		name    string
		cfg     Config
		rows    int
		wantErr string
	}{
		{"glob reads every match in order", Config{Paths: []string{filepath.Join(dir, "*.csv")}}, 6, ""},
		{"a glob matching nothing fails", Config{Paths: []string{filepath.Join(dir, "*.tsv")}}, 0, "matches no file"},
		{"a missing file fails", Config{Paths: []string{filepath.Join(dir, "nope.csv")}}, 0, "no such file"},
		{"a gzip bomb is stopped", Config{Paths: []string{bomb}, MaxBytes: 64 << 10}, -1, "larger than max_bytes"},
		{"unknown extension needs a format", Config{Paths: []string{write(t, "x.dat", []byte("a"))}}, 0, "set file.format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, _, err := extract(t, tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if tc.name == "a gzip bomb is stopped" && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("err %v is not ErrTooLarge", err)
				}
				return
			}
			if err != nil || len(rows) != tc.rows {
				t.Fatalf("rows %d err %v", len(rows), err)
			}
		})
	}
}

func TestURLWithAuthAndRetries(t *testing.T) {
	t.Parallel()
	const key = "file-key-123456"
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("X-API-Key") != key {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte("bad key " + r.Header.Get("X-API-Key")))
			return
		}
		w.Write(gz([]byte(sellersCSV)))
	}))
	defer srv.Close()
	cfg := Config{Paths: []string{srv.URL + "/export/sellers.csv.gz?day=1"}, Auth: httpx.Auth{Type: "header", Header: "X-API-Key", Token: key},
		HTTP: httpx.Options{RetryWaitMin: 1e6, RetryWaitMax: 2e6, RPS: 50, Burst: 1}}
	rows, stats, err := extract(t, cfg)
	if err != nil || len(rows) != 3 || stats.Requests != 2 || stats.Retries != 1 || stats.Bytes == 0 {
		t.Fatalf("rows %d stats %+v err %v", len(rows), stats, err)
	}
	if c := stats.StatusCodes; len(c) != 2 || c[503] != 1 || c[200] != 1 {
		t.Fatalf("status codes %v, want one 503 and one 200", c)
	}
	cfg.Auth.Token = "wrong-" + key
	_, _, err = extract(t, cfg)
	if err == nil || !strings.Contains(err.Error(), "status 403") || strings.Contains(err.Error(), key) {
		t.Fatalf("err = %v", err)
	}
}

func TestRowJSON(t *testing.T) {
	t.Parallel()
	got := RowJSON([]string{"a", "b\"", "c"}, []string{"1", "x\x00\xff", ""})
	if got != `{"a":"1","b\"":"x\u0000\ufffd","c":""}` {
		t.Fatalf("got %s", got)
	}
	if got := RowJSON([]string{"a", "b"}, []string{"1"}); got != `{"a":"1","b":null}` {
		t.Fatalf("short row: %s", got)
	}
}

func FuzzRowJSON(f *testing.F) {
	f.Add("name", "Ali, \"Sons\"\n\t\u2028")
	f.Add("\xff", "\x00")
	f.Fuzz(func(t *testing.T, k, v string) {
		out := RowJSON([]string{k, "z"}, []string{v})
		var m map[string]*string
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("invalid JSON %q: %v", out, err)
		}
		// encoding/json coerces each invalid byte to U+FFFD, as RowJSON does.
		var wantK, wantV string
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		json.Unmarshal(kb, &wantK)
		json.Unmarshal(vb, &wantV)
		if got, ok := m[wantK]; wantK != "z" && (!ok || got == nil || *got != wantV) {
			t.Fatalf("value %q came back as %v", v, got)
		}
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte(sellersCSV))
	f.Add([]byte("a,b\n\"x,1\n2,3,4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.csv")
		os.WriteFile(p, data, 0o644)
		e, _ := New(Config{Name: "fuzz", Dataset: pipeline.Sellers, Paths: []string{p}, CSV: CSVOptions{LazyQuotes: true}})
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		e.Extract(context.Background(), mem, func(rec arrow.RecordBatch) error {
			raw := rec.Column(7).(*array.String)
			for i := 0; i < raw.Len(); i++ {
				if !json.Valid([]byte(raw.Value(i))) {
					t.Fatalf("_raw is not JSON: %q", raw.Value(i))
				}
			}
			return nil
		})
	})
}
