package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// probeSpec is a kind of source for these tests: its block says what its
// build should fail with, so the placing of build errors can be checked.
type probeSpec struct {
	BuildError string `yaml:"build_error"`
}

func (p *probeSpec) Validate(at string, _ pipeline.Dataset) []error { return nil }
func (p *probeSpec) Describe() string                               { return "probe" }
func (p *probeSpec) Build(s pipeline.SourceConfig, _ pipeline.BuildEnv) (pipeline.Extractor, error) {
	return nil, fmt.Errorf("source %s: %s", s.Name, p.BuildError)
}

func init() {
	pipeline.RegisterSourceKind(pipeline.SourceKind{Kind: "probe", Section: "probe", New: func() pipeline.SourceSpec { return new(probeSpec) }})
}

func TestKindsAreListedByName(t *testing.T) {
	var names []pipeline.Kind
	for _, k := range pipeline.SourceKinds() {
		names = append(names, k.Kind)
	}
	if !slices.Equal(names, []pipeline.Kind{"file", "http_json", "probe"}) {
		t.Errorf("kinds = %v, want file, http_json and probe, in that order", names)
	}
	if k, ok := pipeline.LookupSourceKind("http_json"); !ok || k.Section != "http" {
		t.Errorf("http_json = %+v, %v; want its block under http", k, ok)
	}
}

// A kind that would make configs ambiguous is refused when it registers,
// at start-up, not when a config happens to use it.
func TestRegisteringAmbiguousKindsPanics(t *testing.T) {
	newSpec := func() pipeline.SourceSpec { return new(probeSpec) }
	for name, k := range map[string]pipeline.SourceKind{
		"a kind twice":          {Kind: "file", Section: "files2", New: newSpec},
		"a section twice":       {Kind: "other", Section: "http", New: newSpec},
		"a common key":          {Kind: "other", Section: "dataset", New: newSpec},
		"no constructor":        {Kind: "other", Section: "other"},
		"a block that is a map": {Kind: "other", Section: "other", New: func() pipeline.SourceSpec { return mapSpec{} }},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("registering %+v did not panic", k)
				}
			}()
			pipeline.RegisterSourceKind(k)
		})
	}
	if _, ok := pipeline.LookupSourceKind("other"); ok {
		t.Errorf("a refused kind was registered")
	}
}

type mapSpec map[string]string

func (mapSpec) Validate(string, pipeline.Dataset) []error { return nil }
func (mapSpec) Describe() string                          { return "" }
func (mapSpec) Build(pipeline.SourceConfig, pipeline.BuildEnv) (pipeline.Extractor, error) {
	return nil, errors.New("never built")
}

// A source's block goes to its kind; another kind's block is an error at
// that block, and a kind nobody registered is an error at kind:.
func TestBlocksAreDecodedByTheirKind(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
sources:
  - name: a
    dataset: sellers
    kind: probe
    probe: {build_error: "x"}
    http: {url: "http://127.0.0.1:1/"}
  - name: b
    dataset: sellers
    kind: carrier_pigeon
  - name: c
    dataset: sellers
    kind: htp_json
    http: {url: "http://127.0.0.1:1/"}
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	got := pipeline.ConfigErrors(err)
	want := []pipeline.ConfigError{
		{Line: 7, Column: 11, Path: "sources[0].http", Msg: "sources[0].http: kind probe takes a probe section, not http"},
		{Line: 10, Column: 11, Path: "sources[1].kind", Msg: `sources[1].kind "carrier_pigeon": supported kinds are: file, http_json, probe`},
		// A misspelt kind is one; its block, of no kind, is not reported again.
		{Line: 13, Column: 11, Path: "sources[2].kind", Msg: `sources[2].kind "htp_json": did you mean "http_json"? supported kinds are: file, http_json, probe`},
	}
	if len(got) != len(want) {
		t.Fatalf("errors %v, want %d", err, len(want))
	}
	for i := range want {
		if g := got[i]; g.Line != want[i].Line || g.Column != want[i].Column || g.Path != want[i].Path || g.Msg != want[i].Msg {
			t.Errorf("error %d = %+v, want %+v", i, *g, want[i])
		}
	}
}

// A kind's build error that names a key of its block is placed at that
// key; any other is placed at the source.
func TestBuildErrorsArePlaced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ buildError, wantPath, wantMsg string }{
		{"build_error.part: too short", "sources[0].probe.build_error.part", "sources[0].probe.build_error.part: too short"},
		{"the server said no", "sources[0]", "sources[0]: source p: the server said no"},
		// A key the block does not have is not taken for one.
		{"colour.red: no", "sources[0]", "sources[0]: source p: colour.red: no"},
	} {
		src := "warehouse: {path: w.duckdb}\nsources:\n  - {name: p, dataset: sellers, kind: probe, probe: {build_error: \"" + tc.buildError + "\"}}\n"
		cfg, err := pipeline.ParseConfig([]byte(src), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		_, errs := cfg.BuildSources(cfg.BuildEnv(env(nil), nil))
		var ce *pipeline.ConfigError
		if len(errs) != 1 || !errors.As(errs[0], &ce) || ce.Path != tc.wantPath || ce.Msg != tc.wantMsg {
			t.Errorf("build error %q: got %v, want %s at %s", tc.buildError, errs, tc.wantMsg, tc.wantPath)
		}
	}
}

// A built-in kind builds a working extractor through the registry alone.
func TestBuiltinKindBuildsThroughTheRegistry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "warehouse: {path: w.duckdb}\nsources:\n  - {name: f, dataset: fx_rates, kind: file, file: {paths: [" + dir + "/fx.csv], format: csv}}\n"
	if err := os.WriteFile(dir+"/fx.csv", []byte("date,currency,units_per_usd\n2026-01-02,PKR,280.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	exs, errs := cfg.BuildSources(cfg.BuildEnv(env(nil), nil))
	if len(errs) > 0 || len(exs) != 1 || exs[0].Name() != "f" || exs[0].Dataset() != pipeline.FXRates {
		t.Fatalf("built %v, errors %v", exs, errs)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	st, err := exs[0].Extract(context.Background(), mem, func(arrow.RecordBatch) error { return nil })
	if err != nil || st.Records != 1 {
		t.Errorf("extract: %d records, %v; want the file's one", st.Records, err)
	}
	if d := cfg.Sources[0].Describe(); !strings.HasSuffix(d, "fx.csv") {
		t.Errorf("plan describes the source as %q, want its path", d)
	}
}

// BenchmarkParseConfig parses the example config with the most sources,
// the work validate, run and every serve run do first; each source's block
// is decoded through the registry.
func BenchmarkParseConfig(b *testing.B) {
	src, err := os.ReadFile("../configs/examples/marketplace-api.yaml")
	if err != nil {
		b.Fatal(err)
	}
	anything := func(string) (string, bool) { return "https://api.example.com", true }
	for b.Loop() {
		if _, err := pipeline.ParseConfig(src, anything); err != nil {
			b.Fatal(err)
		}
	}
}
