// Package testbin builds the exportpipe binary once per test process, for
// the tests that drive it as cron, systemd or Kubernetes would: as a
// subprocess, judged by exit codes, files and output. Proc runs it and
// follows its log, for the tests of cmd/exportpipe and reliability alike.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Binary builds the command package at pkg (relative to the test's
// package folder) on first use and removes it with Cleanup.
type Binary struct {
	pkg  string
	once sync.Once
	dir  string
	path string
	err  error
}

// New returns a Binary for the command package at pkg, such as "." or
// "../cmd/exportpipe".
func New(pkg string) *Binary { return &Binary{pkg: pkg} }

// Path builds the binary without -race, so the runs it makes are as fast
// as production's, and returns its path. Tests that need it are skipped
// under -short.
func (b *Binary) Path(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "exportpipe-bin-")
		if b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "exportpipe")
		out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", b.path, b.pkg).CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// Main runs the package's tests, removes the built binary and exits with
// the tests' result: a package's TestMain is just bin.Main(m).
func (b *Binary) Main(m *testing.M) {
	code := m.Run()
	b.Cleanup()
	os.Exit(code)
}

// Cleanup removes the built binary; Main calls it after the tests.
func (b *Binary) Cleanup() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
