package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// The registry is the only link between the pipeline and a kind of source.
// This file alone defines a kind, "inline", whose records are written in
// the config itself, and registers it; no other file of the repository
// names it. A config that uses it is checked (with positions), planned and
// run into a real warehouse by the same commands as the built-in kinds.

func init() {
	pipeline.RegisterSourceKind(pipeline.SourceKind{Kind: "inline", Section: "inline",
		New: func() pipeline.SourceSpec { return new(inlineSpec) }})
}

// inlineSpec is the inline: section: records, each a map of raw field to
// value.
type inlineSpec struct {
	Records []map[string]string `yaml:"records"`
}

func (s *inlineSpec) Validate(at string, d pipeline.Dataset) []error {
	if len(s.Records) == 0 {
		return []error{pipeline.ErrorAt(at+".records", ": kind inline needs at least one record")}
	}
	var errs []error
	for i, r := range s.Records {
		for _, k := range slices.Sorted(maps.Keys(r)) {
			if d != "" && d.RawFieldIndex(k) < 0 {
				errs = append(errs, pipeline.ErrorAt(fmt.Sprintf("%s.records[%d].%s", at, i, k), ": %s has no field %q", d, k))
			}
		}
	}
	return errs
}

func (s *inlineSpec) Describe() string {
	return fmt.Sprintf("%d records written in the config", len(s.Records))
}

func (s *inlineSpec) Build(src pipeline.SourceConfig, _ pipeline.BuildEnv) (pipeline.Extractor, error) {
	d, err := pipeline.ParseDataset(src.Dataset)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return &inlineExtractor{name: src.Name, d: d, records: s.Records}, nil
}

type inlineExtractor struct {
	name    string
	d       pipeline.Dataset
	records []map[string]string
}

func (e *inlineExtractor) Name() string              { return e.name }
func (e *inlineExtractor) Dataset() pipeline.Dataset { return e.d }

// Extract emits the records as one raw batch: a field the record leaves
// out is null, and _raw is the record as JSON.
func (e *inlineExtractor) Extract(_ context.Context, mem memory.Allocator, emit pipeline.Emit) (pipeline.ExtractStats, error) {
	b := array.NewRecordBuilder(mem, pipeline.RawSchema(e.d))
	defer b.Release()
	fields := e.d.RawFields()
	for _, r := range e.records {
		for i, f := range fields {
			col := b.Field(i).(*array.StringBuilder)
			if v, ok := r[f]; ok {
				col.Append(v)
			} else {
				col.AppendNull()
			}
		}
		raw, err := json.Marshal(r)
		if err != nil {
			return pipeline.ExtractStats{}, err
		}
		b.Field(len(fields)).(*array.StringBuilder).Append(string(raw))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return pipeline.ExtractStats{Records: int64(len(e.records))}, emit(rec)
}

func TestASourceKindRegisteredInOneFileValidatesPlansAndRuns(t *testing.T) {
	dir := t.TempDir()
	const body = `pipeline: inline
warehouse: {path: DIR/w.duckdb}
sources:
  - name: inline_sellers
    dataset: sellers
    kind: inline
    inline:
      records:
        - {seller_id: S-1, marketplace: daraz.pk, name: Lahore Looms, country: Pakistan, updated_at: "2026-11-20T04:10:00Z"}
        - {seller_id: S-2, marketplace: daraz.pk, name: Sialkot Sports, country: PK, updated_at: "2026-11-20T04:11:00Z"}
`
	// The kind's own checks report with their line, like any other key.
	bad := writeConfig(t, dir, "", strings.Replace(body, "name: Lahore Looms", "colour: red", 1))
	_, stderr, code := cli(t, "validate", "--config", bad)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, `[9:59] sources[0].inline.records[0].colour: sellers has no field "colour"`) {
		t.Errorf("validate with an unknown field: exit %d, want 3 with the field's line:\n%s", code, stderr)
	}
	// A key the kind's section does not have is unknown, with the keys it has.
	typo := writeConfig(t, dir, "", strings.Replace(body, "records:", "recods:", 1))
	if _, stderr, code := cli(t, "validate", "--config", typo); code != pipeline.ExitConfig ||
		!strings.Contains(stderr, `[8:7] unknown key "recods" in sources[0].inline: did you mean "records"?`) {
		t.Errorf("validate with a misspelt key: exit %d:\n%s", code, stderr)
	}

	conf := writeConfig(t, dir, "", body)
	if out, stderr, code := cli(t, "validate", "--config", conf); code != pipeline.ExitOK || !strings.Contains(out, "ok: 1 sources") {
		t.Fatalf("validate: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := cli(t, "plan", "--config", conf)
	if code != pipeline.ExitOK || !strings.Contains(out, "inline_sellers") || !strings.Contains(out, "2 records written in the config") {
		t.Errorf("plan: exit %d, want the source described by its kind:\n%s%s", code, out, stderr)
	}
	if out, stderr, code := cli(t, "run", "--config", conf); code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	got := query(t, filepath.Join(dir, "analytics.duckdb"), "SELECT seller_id, name, country FROM core.sellers ORDER BY seller_id")
	want := [][]string{{"S-1", "Lahore Looms", "PK"}, {"S-2", "Sialkot Sports", "PK"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("core.sellers = %v, want %v", got, want)
	}
}
