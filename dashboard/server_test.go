package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, o Opener, opts Options, method, target string) (*http.Response, string) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fakeRunEnd.Add(3 * time.Hour) }
	}
	req := httptest.NewRequest(method, target, nil)
	rec := httptest.NewRecorder()
	NewServer(o, opts).ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

const markup = `<script>alert(1)</script><b>x</b>`

// A title from the data and a filter from the URL are text wherever they
// land: element text, attribute values and link queries.
func TestDataAndFiltersAreEscaped(t *testing.T) {
	t.Parallel()
	snap := newFakeSnapshot(map[string]*Table{
		"newest_listings": table("newest_listings", cols("title", "marketplace", "category", "seller_country", "price_min_usd", "price_max_usd", "updated_at"),
			[]any{markup, "daraz.pk", "towels", "PK", 2.5, 3.0, fakeRunEnd}),
	})
	res, body := serve(t, &fakeOpener{snap: snap}, Options{}, "GET", "/listings?marketplace="+urlEscape(markup))
	if res.StatusCode != 200 {
		t.Fatalf("status %d:\n%s", res.StatusCode, body)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<b>") {
		t.Errorf("markup from data or URL reached the page unescaped:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;") {
		t.Errorf("the title is not shown as text")
	}
	if got := snap.params["newest_listings"]["marketplace"]; got != markup {
		t.Errorf("the marketplace filter reached the query as %q, want it bound as given", got)
	}
	if snap.opened != snap.closed {
		t.Errorf("opened the snapshot %d times and closed it %d times", snap.opened, snap.closed)
	}
}

func urlEscape(s string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", "/", "%2F", "(", "%28", ")", "%29").Replace(s)
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	o := &fakeOpener{snap: newFakeSnapshot(nil)}
	for _, target := range []string{"/", "/rejects", "/assets/style.css", "/nope", "/listings?from=x"} {
		res, _ := serve(t, o, Options{}, "GET", target)
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: Content-Security-Policy %q", target, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
	}
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, target string
		opener               Opener
		code                 int
		body                 string
	}{
		{"a view", "GET", "/", &fakeOpener{snap: newFakeSnapshot(nil)}, 200, fakeRunID},
		{"the age of the run", "GET", "/", &fakeOpener{snap: newFakeSnapshot(nil)}, 200, "3 hours ago"},
		{"unknown page", "GET", "/admin", &fakeOpener{snap: newFakeSnapshot(nil)}, 404, "no page at /admin"},
		{"no writes", "POST", "/", &fakeOpener{snap: newFakeSnapshot(nil)}, 405, "only reads"},
		{"bad filter", "GET", "/prices?to=tomorrow", &fakeOpener{snap: newFakeSnapshot(nil)}, 400, "want a date"},
		{"no snapshot yet", "GET", "/", &fakeOpener{err: fmt.Errorf("%w at data/analytics.duckdb", ErrNoSnapshot)}, 503, "no snapshot published yet"},
		{"a snapshot without a run", "GET", "/", &fakeOpener{snap: &fakeSnapshot{tables: map[string]*Table{
			"snapshot_info": table("snapshot_info", cols("run_id", "pipeline", "started_at", "finished_at", "runs"))}}}, 500, "no successful run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res, body := serve(t, c.opener, Options{}, c.method, c.target)
			if res.StatusCode != c.code || !strings.Contains(body, c.body) {
				t.Errorf("%s %s: %d, want %d with %q:\n%s", c.method, c.target, res.StatusCode, c.code, c.body, body)
			}
		})
	}
}

// A mart column that was renamed fails the one section that reads it, with
// the column named, and the rest of the view still shows.
func TestMissingColumnFailsOneSection(t *testing.T) {
	t.Parallel()
	snap := newFakeSnapshot(map[string]*Table{
		"category_current": table("category_current", cols("category_group", "listings")),
		"newest_listings": table("newest_listings", cols("title", "marketplace", "category", "seller_country", "price_min_usd", "price_max_usd", "updated_at"),
			[]any{"Cotton towel", "daraz.pk", "towels", "PK", 2.5, 3.0, fakeRunEnd}),
	})
	res, body := serve(t, &fakeOpener{snap: snap}, Options{}, "GET", "/listings")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(body, `query category_current has no column &#34;share&#34; (it has category_group, listings)`) {
		t.Errorf("the section does not name the missing column:\n%s", body)
	}
	if !strings.Contains(body, "Cotton towel") {
		t.Errorf("the other sections are gone")
	}
}

// writeExports lays out an export folder as a run publishes it.
func writeExports(t *testing.T, root, runID string, files map[string]string) {
	t.Helper()
	folder := "run_id=" + runID
	if err := os.MkdirAll(filepath.Join(root, folder), 0o755); err != nil {
		t.Fatal(err)
	}
	m := manifest{RunID: runID}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, folder, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		table := "marts." + strings.TrimSuffix(strings.TrimSuffix(name, ".csv"), ".parquet")
		m.Files = append(m.Files, manifestFile{Path: name, Table: table, Format: strings.TrimPrefix(filepath.Ext(name), "."), Rows: 1, Bytes: int64(len(body))})
	}
	for name, v := range map[string]any{filepath.Join(folder, "manifest.json"): m, "latest.json": latestFile{RunID: runID, Path: folder}} {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "secret.txt"), []byte("not an export"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExportLinksAndFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeExports(t, root, fakeRunID, map[string]string{"seller_growth_monthly.csv": "month,new\n2026-01-01,3\n"})
	snap := newFakeSnapshot(map[string]*Table{
		"seller_growth": table("seller_growth", cols("month", "new_sellers", "active_sellers", "total_sellers"),
			[]any{month(1), int64(3), int64(2), int64(3)}),
	})
	o, opts := &fakeOpener{snap: snap}, Options{ExportDir: root}
	_, body := serve(t, o, opts, "GET", "/sellers")
	href := regexp.MustCompile(`href="(/exports/[^"]+)"`).FindStringSubmatch(body)
	if href == nil {
		t.Fatalf("no export link on the page:\n%s", body)
	}
	res, got := serve(t, o, opts, "GET", strings.ReplaceAll(href[1], "&#43;", "+"))
	if res.StatusCode != 200 || got != "month,new\n2026-01-01,3\n" {
		t.Errorf("GET %s: %d %q", href[1], res.StatusCode, got)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	for _, target := range []string{
		"/exports/run_id=" + fakeRunID + "/manifest.json",     // not a listed file
		"/exports/run_id=" + fakeRunID + "/..%2Fsecret.txt",   // out of the folder
		"/exports/..%2F..%2Fetc/passwd",                       // not a run folder
		"/exports/run_id=20990101T000000Z-000000/x.csv",       // no such run
		"/exports/run_id=" + fakeRunID + "/secret.txt",        // on disk, not in the manifest
		"/exports/run_id=" + fakeRunID + "%2F..%2Fsecret.txt", // smuggled slash
	} {
		if res, body := serve(t, o, opts, "GET", target); res.StatusCode != 404 || strings.Contains(body, "not an export") {
			t.Errorf("GET %s: %d, want 404", target, res.StatusCode)
		}
	}
}

// The report is one file that loads nothing: no script, no external URL,
// and a CSP whose hash admits exactly its inline stylesheet.
func TestReportIsSelfContained(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeExports(t, filepath.Join(root, "exports"), fakeRunID, map[string]string{"seller_growth_monthly.csv": "month\n"})
	snap := newFakeSnapshot(map[string]*Table{
		"seller_growth": table("seller_growth", cols("month", "new_sellers", "active_sellers", "total_sellers"),
			[]any{month(1), int64(3), int64(2), int64(3)}),
		"newest_listings": table("newest_listings", cols("title", "marketplace", "category", "seller_country", "price_min_usd", "price_max_usd", "updated_at"),
			[]any{markup, "daraz.pk", "towels", "PK", 2.5, 3.0, fakeRunEnd}),
	})
	var buf bytes.Buffer
	if err := WriteReport(context.Background(), &buf, &fakeOpener{snap: snap}, root, Options{ExportDir: filepath.Join(root, "exports")}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "http://", "https://", "<link rel=\"stylesheet\"", " src="} {
		if strings.Contains(out, bad) {
			t.Errorf("the report contains %q", bad)
		}
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(out)
	if style == nil {
		t.Fatal("no inline stylesheet")
	}
	sum := sha256.Sum256([]byte(style[1]))
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(html.UnescapeString(out), want) {
		t.Errorf("the CSP does not admit the inline stylesheet (%s)", want)
	}
	if !strings.Contains(out, `href="exports/run_id=`+fakeRunID+`/seller_growth_monthly.csv"`) {
		t.Errorf("no export link relative to the report")
	}
	for _, v := range views {
		if !strings.Contains(out, `id="view-`+v.Name+`"`) {
			t.Errorf("the report lacks the %s view", v.Name)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)") {
		t.Errorf("the title is not in the report as text")
	}
}
