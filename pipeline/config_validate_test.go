package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// validate's contract: every problem at once, each with its line, in file
// order.
func TestConfigReportsEveryErrorWithItsLine(t *testing.T) {
	t.Parallel()
	src := `pipeline.pipeline: nightly
warehouse:
  path: data/w.duckdb
  snapshto: x
sources:
  - name: daraz
    dataset: listings
    kind: http_json
    http:
      url: ${API}/listings
      retries: 3
      auth: {type: bearer, token_env: DARAZ_TOKEN}
schedules:
  - name: nightly
    cron: "CRON_TZ=Asia/Karachi 0 2 * *"
    sources: [daraz, nope]
  - name: tz
    cron: "CRON_TZ=Mars/Olympus @daily"
serve:
  tokenenv: X
  listen: nowhere
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	want := []string{
		`[4:3] unknown key "snapshto" in warehouse`,
		`[10:12] sources[0].http.url: environment variable API is not set`,
		`[11:7] unknown key "retries" in sources[0].http`,
		`sources[0].http.auth.token_env: environment variable DARAZ_TOKEN is not set`,
		`[15:11] schedules[0].cron`,
		`[16:22] schedules[0].sources[1] "nope"`,
		`[18:11] schedules[1].cron`,
		`unknown time zone Mars/Olympus`,
		`[20:3] unknown key "tokenenv" in serve`,
		`[21:11] serve.listen "nowhere"`,
	}
	msg := err.Error()
	last := -1
	for _, w := range want {
		i := strings.Index(msg, w)
		if i < 0 {
			t.Errorf("report lacks %q:\n%s", w, msg)
			continue
		}
		if i < last {
			t.Errorf("%q is out of file order:\n%s", w, msg)
		}
		last = i
	}
}

func TestSchedulesAndSelect(t *testing.T) {
	t.Parallel()
	src := goodConfig + `schedules:
  - {name: nightly, cron: "CRON_TZ=Asia/Karachi 0 2 * * *", jitter: 10m}
  - {name: listings_hourly, cron: "@every 1h", sources: [daraz_listings]}
serve: {listen: "127.0.0.1:9000", token_env: EXPORTPIPE_TOKEN}
`
	c, err := pipeline.ParseConfig([]byte(src), env(map[string]string{"API_URL": "http://h", "DARAZ_TOKEN": "tok-abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Schedules) != 2 || c.Serve.ListenAddr() != "127.0.0.1:9000" || c.Serve.Shutdown() != pipeline.DefaultShutdownTimeout {
		t.Fatalf("decoded %+v %+v", c.Schedules, c.Serve)
	}
	sel, err := c.Select([]string{"daraz_listings"})
	if err != nil || len(sel.Sources) != 1 || len(c.Sources) != 1 {
		t.Fatalf("Select: %v %+v", err, sel)
	}
	if _, err := c.Select([]string{"nope"}); err == nil {
		t.Fatal("Select accepted an unknown source")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte("warehouse: {path: a}\nsources: [{name: a, dataset: listings, kind: http_json, http: {url: x}}]\nschedules: [{name: n, cron: '@daily'}]"))
	f.Add([]byte("a: &x {b: 1}\nc: *x\n<<: *x\n"))
	f.Add([]byte("warehouse: {path: a, threads: many}\nsources: [{name: a, dataset: listings, kind: http_json, http: {url: x, timeout: 30, max_retries: [1], batch_size: 1.5}}]"))
	f.Add([]byte("warehouse: w\nsources: {a: b}\nserve: [1]\nnormalise: {hs_chapters: {furniture: x}, categories: {a: [b]}}"))
	f.Add([]byte("warehouse: {path: a}\nmarketplaces: {amazon.in: {currency: INR, country: IN}}\n" +
		"carriers: [{name: Crowley, scac: [CAMN], aliases: [Crowley Maritime]}, {name: PNSC, aliases: [P N S C Ltd]}]\n" +
		"normalise: {unknown_carrier: keep}\nsources: [{name: a, dataset: listings, kind: file, file: {paths: [x], constants: {marketplace: amazon.in}}}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := pipeline.ParseConfig(src, env(map[string]string{"API_URL": "u", "DARAZ_TOKEN": "t"}))
		if (c == nil) == (err == nil) {
			t.Fatalf("config %v and error %v", c, err)
		}
		// Whatever the file, the report is in the config's terms.
		if err != nil && pipeline.GoJargon.MatchString(err.Error()) {
			t.Fatalf("the report speaks Go:\n%v", err)
		}
		if c == nil {
			return
		}
		// What validation accepts, the run can build: the marketplace and
		// carrier tables never fail after pipeline.ParseConfig.
		if _, err := c.MarketplaceSet(); err != nil {
			t.Fatalf("accepted config, but its marketplaces do not build: %v", err)
		}
		if _, err := c.CarrierSet(); err != nil {
			t.Fatalf("accepted config, but its carriers do not build: %v", err)
		}
	})
}
