package transforms

import (
	"bytes"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// configWith parses a config whose one listings source is pk_feed, with
// the normalise section given, the way a run reads its file.
func configWith(t *testing.T, normalise string) *pipeline.Config {
	t.Helper()
	src := `pipeline: assembly_test
warehouse: {path: wh.duckdb}
sources:
  - name: pk_feed
    dataset: listings
    kind: file
    file: {paths: [listings.csv]}
    transform: {date_order: dmy, time_zone: Asia/Karachi}
` + normalise
	cfg, err := pipeline.ParseConfig([]byte(src), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config:\n%s\n%v", src, err)
	}
	return cfg
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FactoryFor builds from the config what a run uses: the source's date
// declarations, the config's category names, its reference files (logged
// as loaded), and LoadReferenceFX the rates of its FX files.
func TestFactoryForAssemblesTheConfig(t *testing.T) {
	aliases := writeFile(t, "aliases.csv", "UN_LOCODE;Maersk_name\nCLARI;Arica, Chile\n")
	ecb := writeFile(t, "ecb.csv", "Date,USD,JPY,\n2025-06-02,1.10,160.0,\n")
	cfg := configWith(t, fmt.Sprintf(`normalise:
  categories: {Bed Sheets Deluxe: home_textiles}
  reference:
    port_aliases: [{path: %q, delimiter: ";", name_column: Maersk_name}]
    fx: [{layout: ecb, path: %q}]
`, aliases, ecb))

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	factory, err := FactoryFor(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	fx := NewFXTable()
	if err := LoadReferenceFX(cfg, fx, log); err != nil {
		t.Fatal(err)
	}
	if r, ok := fx.UnitsPerUSD("EUR", time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)); !ok || math.Abs(r-1/1.10) > 1e-9 {
		t.Errorf("EUR per USD on 2025-06-02 = %v, %v; want 1/1.10 from the config's ECB file", r, ok)
	}
	for _, want := range []string{"reference tables loaded", "ports:1", "reference fx rates loaded", "rates=2"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log does not say %q:\n%s", want, logs.String())
		}
	}

	if err := fx.Add("PKR", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), 280); err != nil {
		t.Fatal(err)
	}
	tr, err := factory(pipeline.Listings, "pk_feed", fx)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("A", "category", "Bed Sheets Deluxe", "updated_at", "01/06/2025 15:00", "price", "Rs. 1,400"),
	})
	defer out.release()
	if out.rejects.NumRows() != 0 {
		t.Fatalf("rejects: %v", rejectsByKey(t, out.rejects, pipeline.Listings, "pk_feed"))
	}
	// 01/06 is 1 June (dmy), 15:00 in Karachi is 10:00 UTC; the config's
	// own category name maps to home textiles (HS chapter 63).
	if at, cat := cell(t, out.good, "updated_at", 0), cell(t, out.good, "category", 0); at != mustTime(t, "2025-06-01T10:00:00Z") || cat != "home_textiles" {
		t.Errorf("updated_at %v, category %v; want 2025-06-01T10:00:00Z and home_textiles", at, cat)
	}
}

// What the config gets wrong surfaces as a config error (exit code 3),
// naming the key to fix.
func TestFactoryForRefusesAsConfigErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no-such.csv")
	badZone := configWith(t, "")
	badZone.Sources[0].Transform.TimeZone = "Mars/Olympus"
	cases := []struct {
		name string
		cfg  *pipeline.Config
		fx   bool // the error comes from LoadReferenceFX
		want string
	}{
		{"unknown time zone", badZone, false, `sources pk_feed: transform: time_zone "Mars/Olympus"`},
		{"missing reference file", configWith(t, fmt.Sprintf("normalise:\n  reference: {hs: %q}\n", missing)), false, "normalise.reference: reference file"},
		{"missing fx file", configWith(t, fmt.Sprintf("normalise:\n  reference: {fx: [{layout: ecb, path: %q}]}\n", missing)), true, "normalise.reference.fx: reference file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.fx {
				err = LoadReferenceFX(c.cfg, NewFXTable(), slog.New(slog.DiscardHandler))
			} else {
				_, err = FactoryFor(c.cfg, slog.New(slog.DiscardHandler))
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || pipeline.ExitCode(err) != pipeline.ExitConfig {
				t.Errorf("error %v (exit %d); want exit %d and %q", err, pipeline.ExitCode(err), pipeline.ExitConfig, c.want)
			}
		})
	}
}
