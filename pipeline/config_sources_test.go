package pipeline

import (
	"strings"
	"testing"
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
			cfg, err := ParseConfig([]byte(src), env(nil))
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
