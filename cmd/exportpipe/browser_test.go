package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exportpipe/exportpipe/internal/testbin"
)

// The browser tests drive Debian's Chromium (apt-get install -y chromium)
// through the DevTools protocol with chromedp. Nothing downloads a browser:
// without one they skip, except in CI (CI=true), where .ci/run installs it
// and a missing browser is a failure.

// chromium finds the browser or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("EXPORTPIPE_CHROMIUM"), "/usr/bin/chromium", "chromium"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI must run the browser tests: .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("chromium is not installed: apt-get install -y chromium to run the browser tests (CI installs it)")
	return ""
}

// browser is one headless Chromium with one tab, and every console message
// the tab has written.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	arrived chan struct{} // a message arrived since the last receive
	marks   int
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
		// This machine has no network: keep Chromium from trying.
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, arrived: make(chan struct{}, 1)}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
			select {
			case b.arrived <- struct{}{}:
			default:
			}
		}
	}()
	return b
}

// open loads url and fails the test unless it answers 200.
func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("open %s: status %d", url, resp.Status)
	}
}

// eval runs a script in the page (the test's own, through DevTools; the
// page itself runs none) and decodes its result.
func eval[T any](t *testing.T, b *browser, script string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

// table reads a table's body as the page shows it, cell by cell.
func (b *browser) table(t *testing.T, id string) [][]string {
	t.Helper()
	return eval[[][]string](t, b, `Array.from(document.querySelectorAll('#`+id+` tbody tr'))
		.filter(tr => !tr.querySelector('td.empty'))
		.map(tr => Array.from(tr.cells).map(td => td.textContent))`)
}

func (b *browser) heads(t *testing.T, id string) []string {
	t.Helper()
	return eval[[]string](t, b, `Array.from(document.querySelectorAll('#`+id+` thead th')).map(th => th.textContent)`)
}

// errors returns the console errors and uncaught exceptions so far: a
// blocked resource, a CSP violation and a failed load all land there.
func (b *browser) errors() []string {
	// Write a mark to the console and wait for it to come back: DevTools
	// delivers a tab's messages in order, so once the mark is here, every
	// message written before it (those of the load) is here too.
	b.marks++
	mark := fmt.Sprintf("exportpipe-test-mark-%d", b.marks)
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](`console.debug(`+strconv.Quote(mark)+`)`)); err != nil {
		b.t.Fatalf("mark the console: %v", err)
	}
	deadline := time.After(30 * time.Second)
	for !b.seen(mark) {
		select {
		case <-b.arrived:
		case <-deadline:
			b.t.Fatalf("the console mark %q did not come back within 30s", mark)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	return out
}

// seen reports whether a console message with text has arrived.
func (b *browser) seen(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if m.Text == text {
			return true
		}
	}
	return false
}

// screenshot saves the whole page as name.png in the screenshot folder:
// $EXPORTPIPE_SCREENSHOTS, or exportpipe-screenshots in the temp folder.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("EXPORTPIPE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "exportpipe-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// startDashboard runs `exportpipe dashboard` as a subprocess on a free
// loopback port and returns its base URL.
func startDashboard(t *testing.T, bin *testbin.Binary, args ...string) string {
	t.Helper()
	p := bin.Start(t, append([]string{"dashboard", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	line := p.WaitFor(t, 60*time.Second, `"msg":"dashboard serving"`)
	var rec struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.URL == "" {
		t.Fatalf("no url in %q: %v", line, err)
	}
	return strings.TrimSuffix(rec.URL, "/")
}

// shown parses a number as a view shows it: 1,234 / 47.5% / $1,060 / 4.60.
func shown(t *testing.T, s string) float64 {
	t.Helper()
	clean := strings.NewReplacer(",", "", "$", "", "%", "").Replace(strings.TrimSpace(s))
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		t.Fatalf("not a number as shown: %q", s)
	}
	if strings.HasSuffix(strings.TrimSpace(s), "%") {
		v /= 100
	}
	return v
}

// near checks a shown number against SQL's, within the display's rounding.
func near(t *testing.T, what, shownText, sqlText string, tolerance float64) {
	t.Helper()
	got := shown(t, shownText)
	want, err := strconv.ParseFloat(sqlText, 64)
	if err != nil {
		t.Fatalf("%s: SQL gave %q", what, sqlText)
	}
	if d := got - want; d > tolerance || d < -tolerance {
		t.Errorf("%s: page shows %s, SQL says %s", what, shownText, sqlText)
	}
}

// byKey indexes rows by their first n cells joined with |.
func byKey(rows [][]string, n int) map[string][]string {
	out := map[string][]string{}
	for _, r := range rows {
		out[strings.Join(r[:n], "|")] = r[n:]
	}
	return out
}

func mustGet(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
