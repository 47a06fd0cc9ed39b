package dashboard

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestNiceTicks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 2057, []float64{0, 500, 1000, 1500, 2000, 2500}},
		{0, 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{90, 112, []float64{90, 95, 100, 105, 110, 115}},
		{0, 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
	}
	for _, c := range cases {
		if got := niceTicks(c.lo, c.hi, 5); !reflect.DeepEqual(got, c.want) {
			t.Errorf("niceTicks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

func month(m int) time.Time { return time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }

// The charts are deterministic SVG: each is compared with its golden file
// (go test ./dashboard -update rewrites them; review the diff).
func TestChartsMatchGoldenFiles(t *testing.T) {
	t.Parallel()
	charts := map[string]Chart{
		"bars": newBarChart("c1", "On-time share by carrier", "Bars of on-time share.", []bar{
			{Label: "Maersk", Value: 0.718, Text: "71.8%"},
			{Label: "PNSC", Value: 0.286, Text: "28.6%", Highlight: true},
			{Label: "A carrier whose name is far too long to fit", Value: 0, Text: "0.0%"},
		}, 1),
		"lines": newLineChart("c2", "Listings", "Lines of listings.", []series{
			{Name: "textiles", Points: []point{{month(1), 75}, {month(2), 138}, {month(3), 229}}},
			{Name: "leather", Points: []point{{month(1), 8}, {month(3), 28}}},
		}, fmtCount),
		"stack": newStackChart("c3", "Rows per run", "Stacked rows.", []string{"loaded", "rejected", "collapsed"},
			[]stack{{Label: "11-28 19:10", Values: []float64{4940, 60, 306}}, {Label: "11-29 02:00", Values: []float64{120, 0, 4}}}, fmtCount),
		"empty": newLineChart("c4", "Nothing", "No lines.", nil, fmtCount),
	}
	for name, c := range charts {
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, "chart", c); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", name+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./dashboard -update to write it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("chart %s differs from %s:\n%s", name, path, buf.String())
		}
	}
}

func TestChartsAreAccessible(t *testing.T) {
	t.Parallel()
	c := newBarChart("x", "Title <with> markup", "Desc & more.", []bar{{Label: "<b>", Value: 1, Text: "1"}}, 0)
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "chart", c); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<svg role="img" aria-labelledby="x-title x-desc"`, `<title id="x-title">Title &lt;with&gt; markup</title>`,
		`<desc id="x-desc">Desc &amp; more.`, `>&lt;b&gt;</text>`} {
		if !strings.Contains(out, want) {
			t.Errorf("chart lacks %q:\n%s", want, out)
		}
	}
}

func TestLineChartScalesToItsPoints(t *testing.T) {
	t.Parallel()
	c := newLineChart("x", "t", "d", []series{{Name: "a", Points: []point{{month(1), 100}, {month(6), 110}}}}, fmtIndex)
	l := c.Lines
	d := l.Series[0].Dots
	if d[0].X != l.Left || d[1].X != l.Right {
		t.Errorf("first and last points at x %v and %v, want the plot's edges %v and %v", d[0].X, d[1].X, l.Left, l.Right)
	}
	// An index near 100 is not drawn from zero, so its moves show.
	if l.YTicks[0].Label == "0.0" {
		t.Errorf("y axis starts at zero for values 100..110: %v", l.YTicks)
	}
	if d[1].Y >= d[0].Y {
		t.Errorf("110 drawn at y %v, not above 100 at %v", d[1].Y, d[0].Y)
	}
}
