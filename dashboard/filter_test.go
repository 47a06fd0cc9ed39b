package dashboard

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		query   string
		want    Filter
		wantErr string
	}{
		{"defaults", "", Filter{Country: "PK", Equipment: "40GP"}, ""},
		{"a cleared default means all", "country=&equipment=", Filter{}, ""},
		{"values", "marketplace=daraz.pk&category=textiles&carrier=PNSC&from=2026-01-01&to=2026-06-30",
			Filter{Marketplace: "daraz.pk", Category: "textiles", Country: "PK", Carrier: "PNSC", Equipment: "40GP", From: "2026-01-01", To: "2026-06-30"}, ""},
		{"the last value wins", "carrier=MSC&carrier=PNSC", Filter{Country: "PK", Equipment: "40GP", Carrier: "PNSC"}, ""},
		{"unknown keys are ignored", "utm_source=mail", Filter{Country: "PK", Equipment: "40GP"}, ""},
		{"markup is a value like any other", "marketplace=%3Cscript%3E", Filter{Marketplace: "<script>", Country: "PK", Equipment: "40GP"}, ""},
		{"bad date", "from=2026-13-01", Filter{}, "want a date"},
		{"not a date", "to=yesterday", Filter{}, "want a date"},
		{"range backwards", "from=2026-02-01&to=2026-01-01", Filter{}, "is after"},
		{"control character", "carrier=a%00b", Filter{}, "printable"},
		{"too long", "carrier=" + strings.Repeat("x", 81), Filter{}, "at most 80"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseFilter(q)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			// A filter written to a link reads back the same.
			again, err := url.ParseQuery(strings.TrimPrefix(got.Query(), "?"))
			if err != nil {
				t.Fatal(err)
			}
			if back, err := ParseFilter(again); err != nil || back != got {
				t.Errorf("round trip through %q gave %+v (%v)", got.Query(), back, err)
			}
		})
	}
}

func TestFilterQueryWritesOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	if q := defaultFilter.Query(); q != "" {
		t.Errorf("default filter as %q, want nothing", q)
	}
	f := defaultFilter
	f.Country, f.Marketplace = "", "daraz.pk"
	if q := f.Query(); q != "?marketplace=daraz.pk&country=" {
		t.Errorf("got %q", q)
	}
}

func TestFilterParamsCloseTheDateRange(t *testing.T) {
	t.Parallel()
	p := Filter{From: "2026-01-01"}.params()
	if p["from"] != "2026-01-01" || p["to"] != "9999-12-31" {
		t.Errorf("params %v", p)
	}
	p = Filter{}.params()
	if p["from"] != "0001-01-01" || p["country"] != "" {
		t.Errorf("params %v", p)
	}
}
