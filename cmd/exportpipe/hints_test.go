package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The commands a run's summary suggests run when pasted into the shell the
// run was started from, however exportpipe was started: from the PATH, by
// a path, or with go run as the quick start does.
func TestPastedHintsRun(t *testing.T) {
	exe := bin.Path(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(exe)+string(os.PathListSeparator)+os.Getenv("PATH"))

	byPath := t.TempDir()
	if err := os.Mkdir(filepath.Join(byPath, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(byPath, "bin", "exportpipe")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, dir, run, prefix string
	}{
		// The default data folder, so the hints name no --db.
		{"from the PATH", t.TempDir(), "exportpipe run --demo-listings 2000", "exportpipe query "},
		{"by a path", byPath, "bin/exportpipe run --demo-listings 2000 --data-dir out", "bin/exportpipe query --db out/analytics.duckdb "},
		{"with go run, as the quick start", root, "go run -tags duckdb_arrow ./cmd/exportpipe run --demo-listings 2000 --data-dir " + shellQuote(t.TempDir()),
			"go run -tags duckdb_arrow ./cmd/exportpipe query --db "},
	} {
		t.Run(c.name, func(t *testing.T) {
			summary := shell(t, c.dir, env, c.run)
			hints := 0
			for line := range strings.Lines(summary) {
				if !strings.HasPrefix(line, "  ") || !strings.Contains(line, " query ") {
					continue
				}
				hint := strings.TrimSpace(line)
				if !strings.HasPrefix(hint, c.prefix) {
					t.Errorf("hint %q does not start %q", hint, c.prefix)
				}
				hints++
				if out := shell(t, c.dir, env, hint); strings.Count(out, "\n") < 3 {
					t.Errorf("pasting %q printed too little:\n%s", hint, out)
				}
			}
			if hints < 3 {
				t.Errorf("the summary suggests %d queries:\n%s", hints, summary)
			}
		})
	}
}

// shell runs a command line as a user's shell would, failing the test
// unless it exits 0; it returns stdout.
func shell(t *testing.T, dir string, env []string, line string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s (in %s): %v\n%s\n%s", line, dir, err, stdout.String(), lastBytes(stderr.Bytes(), 2000))
	}
	return stdout.String()
}

// How a program started by go run, by a path or from the PATH is named.
func TestInvocationFor(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goRun := "/tmp/go-build123/b001/exe/exportpipe"
	for _, c := range []struct{ arg0, exe, wd, want string }{
		{"exportpipe", "/usr/local/bin/exportpipe", "/home/a", "exportpipe"},
		{"./exportpipe", "/home/a/exportpipe", "/home/a", "./exportpipe"},
		{"/opt/my tools/exportpipe", "/opt/my tools/exportpipe", "/", "'/opt/my tools/exportpipe'"},
		{goRun, goRun, root, "go run -tags duckdb_arrow ./cmd/exportpipe"},
		{goRun, goRun, filepath.Join(root, "sql"), "go run -tags duckdb_arrow ../cmd/exportpipe"},
		{goRun, goRun, filepath.Join(root, "cmd", "exportpipe"), "go run -tags duckdb_arrow ."},
		{goRun, goRun, t.TempDir(), "exportpipe"}, // outside the module go run cannot build it
	} {
		if got := invocationFor(c.arg0, c.exe, c.wd); got != c.want {
			t.Errorf("invocationFor(%q, %q, %q) = %q, want %q", c.arg0, c.exe, c.wd, got, c.want)
		}
	}
}

// go run's binary is either a fresh one in a temporary build folder or,
// since Go 1.24, one it caches and reuses: the second go run of the same
// sources runs .../go-build/<xx>/<hash>-d/exportpipe. Both are go run.
func TestBuiltByGoRun(t *testing.T) {
	for exe, want := range map[string]bool{
		"/tmp/go-build123/b001/exe/exportpipe":                     true,
		"/root/.cache/go-build/3f/3fa9c1e0b2d4-d/exportpipe":       true,
		"/home/u/.cache/go-build/ab/0123456789abcdef-d/exportpipe": true,
		"/usr/local/bin/exportpipe":                                false,
		"/home/u/src/exportpipe/bin/exportpipe":                    false,
		"/home/u/exe/exportpipe":                                   false,
	} {
		if got := builtByGoRun(exe); got != want {
			t.Errorf("builtByGoRun(%q) = %v, want %v", exe, got, want)
		}
	}
}
