package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// tls_insecure_skip_verify is a per-source key in both the http and the
// file section. It is refused where it cannot apply (no https URL), so it
// never sits in a config as a meaningless "verification is off".
func TestTLSInsecureSkipVerifyKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, section string
		wantErr       string // "" = valid
	}{
		{"http source over https", `http: {url: "https://lab.example/items", tls_insecure_skip_verify: true}`, ""},
		{"http source over plain http", `http: {url: "http://lab.example/items", tls_insecure_skip_verify: true}`,
			"sources[0].http.tls_insecure_skip_verify: the url is not https"},
		{"file source with an https URL", `kind: file
    file: {paths: [data/a.csv, "https://lab.example/b.csv"], tls_insecure_skip_verify: true}`, ""},
		{"file source with local paths only", `kind: file
    file: {paths: [data/a.csv], tls_insecure_skip_verify: true}`,
			"sources[0].file.tls_insecure_skip_verify: no path is an https URL"},
		{"verification stays on by default", `http: {url: "https://api.example/items"}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			kind := "kind: http_json\n    "
			if strings.HasPrefix(c.section, "kind:") {
				kind = ""
			}
			src := "pipeline: p\nwarehouse: {path: w.duckdb}\nsources:\n  - name: s\n    dataset: sellers\n    " + kind + c.section + "\n"
			cfg, err := pipeline.ParseConfig([]byte(src), env(nil))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := cfg.Sources[0]
			if want := c.name != "verification stays on by default"; s.TLSVerificationOff() != want {
				t.Fatalf("TLSVerificationOff() = %v, want %v", s.TLSVerificationOff(), want)
			}
		})
	}
}

// keep: stores extra fields of listings only; "*" stands alone; it cannot
// be combined with a field mapped to attributes.
func TestKeepKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dataset, file string
		wantErr             string
	}{
		{"names on listings", "listings", `{paths: [a.csv], keep: [brandName, ratingScore]}`, ""},
		{"every unmapped field", "listings", `{paths: [a.csv], keep: ["*"]}`, ""},
		{"on sellers", "sellers", `{paths: [a.csv], keep: [brand]}`, "sources[0].file.keep: only listings sources keep extra fields"},
		{"star with names", "listings", `{paths: [a.csv], keep: ["*", brand]}`, `keep: "*" keeps every unmapped field`},
		{"blank name", "listings", `{paths: [a.csv], keep: [" "]}`, "sources[0].file.keep[0]: a blank field name"},
		{"and fields.attributes", "listings", `{paths: [a.csv], keep: [brand], fields: {attributes: extra}}`, "fields.attributes already says"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := "pipeline: p\nwarehouse: {path: w.duckdb}\nsources:\n  - name: s\n    dataset: " + c.dataset + "\n    kind: file\n    file: " + c.file + "\n"
			_, err := pipeline.ParseConfig([]byte(src), env(nil))
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("err = %v, want %q", err, c.wantErr)
			}
		})
	}
}

// sellers: belongs to listings sources, names sellers fields only, and
// must say where the seller's id and country are.
func TestSellersMappingValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dataset, sellers, want string
	}{
		{"valid", "listings", "{seller_id: shop.id, country: shop.country, name: shop.name}", ""},
		{"not on sellers", "sailings", "{seller_id: shop.id, country: c}", "sources[0].file.sellers: only a listings source can also yield sellers; this one feeds sailings"},
		{"unknown field", "listings", "{seller_id: shop.id, country: c, rating: r}", `sources[0].file.sellers.rating: sellers has no field "rating"`},
		{"no id", "listings", "{country: c}", "sources[0].file.sellers: name where the seller's seller_id is"},
		{"no country", "listings", "{seller_id: shop.id}", "sources[0].file.sellers: name where the seller's country is"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := "pipeline: p\nwarehouse: {path: w.duckdb}\nsources:\n  - name: s\n    dataset: " + c.dataset +
				"\n    kind: file\n    file: {paths: [a.ndjson], sellers: " + c.sellers + "}\n"
			_, err := pipeline.ParseConfig([]byte(src), env(nil))
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("err = %v, want none", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}
